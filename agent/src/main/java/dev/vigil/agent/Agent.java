package dev.vigil.agent;

import ch.qos.logback.classic.LoggerContext;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.mqtt.MqttLink;
import dev.vigil.agent.pipeline.LaunchSpecs;
import dev.vigil.agent.pipeline.SecretMasker;
import dev.vigil.agent.supervise.NuProcessLauncher;
import dev.vigil.agent.supervise.Supervisor;
import dev.vigil.common.mqtt.SingleThreadLoop;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: the supervisor and the MQTT link on one loop (one thread: MQTT's network and
 * callbacks, the supervisor's commands, child events and timers), with an ordered shutdown.
 */
final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final SingleThreadLoop loop = new SingleThreadLoop("vigil-agent");
    private final Supervisor supervisor;
    private final MqttLink mqtt;
    private final ShutdownSequence shutdown;
    private final CountDownLatch finished = new CountDownLatch(1);

    Agent(final AgentSettings settings, final LaunchSpecs launchSpecs, final Clock clock) {
        final SecretMasker masker = SecretMasker.of(settings.mqtt().broker().password(), settings.media().publishPassword());
        final MqttLink[] link = new MqttLink[1];
        this.supervisor = new Supervisor(settings.supervisor(), launchSpecs, new NuProcessLauncher(), clock, loop.executor(),
                state -> link[0].publishState(state));
        this.mqtt = new MqttLink(settings.mqtt(), loop, settings.warningSummaryEvery(), supervisor::handle,
                supervisor::reportInvalidCommand, masker);
        link[0] = mqtt;
        this.shutdown = new ShutdownSequence(settings.shutdownStepTimeout())
                .step("stop the stream", () -> supervisor.shutdown(settings.shutdownStepTimeout()))
                .step("publish offline and disconnect", () -> mqtt.close(settings.shutdownStepTimeout()))
                .step("end the loop", () -> loop.close(settings.shutdownStepTimeout()))
                .step("flush the logs", () -> {
                    LOG.info("stopped");
                    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                        context.stop();
                    }
                });
    }

    void start() {
        supervisor.start();
        mqtt.connect();
    }

    /** Runs the shutdown steps once and releases {@link #awaitShutdown()}. */
    void shutdown() {
        LOG.info("shutting down");
        shutdown.run();
        finished.countDown();
    }

    void awaitShutdown() throws InterruptedException {
        finished.await();
    }
}
