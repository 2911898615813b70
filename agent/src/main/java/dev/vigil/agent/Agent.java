package dev.vigil.agent;

import ch.qos.logback.classic.LoggerContext;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.mqtt.MqttLink;
import dev.vigil.agent.pipeline.LaunchSpecs;
import dev.vigil.agent.pipeline.SecretMasker;
import dev.vigil.agent.supervise.NuProcessLauncher;
import dev.vigil.agent.supervise.Supervisor;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running agent: the supervisor, wired to the MQTT link, with an ordered shutdown. */
final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final Supervisor supervisor;
    private final MqttLink mqtt;
    private final ShutdownSequence shutdown;
    private final CountDownLatch finished = new CountDownLatch(1);

    Agent(final AgentSettings settings, final LaunchSpecs launchSpecs, final Clock clock) {
        final SecretMasker masker = SecretMasker.of(settings.mqtt().password(), settings.media().publishPassword());
        final HoldGate[] gate = new HoldGate[1];
        this.supervisor = new Supervisor(settings.supervisor(), launchSpecs, new NuProcessLauncher(), clock,
                state -> gate[0].state(state));
        gate[0] = new HoldGate(supervisor::handle, supervisor::reportInvalidCommand, clock, new HoldFile(settings.holdFile()));
        this.mqtt = new MqttLink(settings.mqtt(), gate[0]::command, supervisor::reportInvalidCommand, gate[0]::control,
                masker);
        gate[0].publishTo(mqtt::publishState);
        this.shutdown = new ShutdownSequence(settings.shutdownStepTimeout())
                .step("stop the stream", () -> supervisor.shutdown(settings.shutdownStepTimeout()))
                .step("publish offline and disconnect", () -> mqtt.close(settings.shutdownStepTimeout()))
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
