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
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: the supervisor and the MQTT link on one loop (one thread, the main one: MQTT's
 * network and callbacks, the supervisor's commands, child events and timers), with an ordered shutdown.
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
        final HoldGate[] gate = new HoldGate[1];
        this.supervisor = new Supervisor(settings.supervisor(), launchSpecs, new NuProcessLauncher(), clock, loop.executor(),
                state -> gate[0].state(state));
        gate[0] = new HoldGate(supervisor::handle, supervisor::reportInvalidCommand, clock, new HoldFile(settings.holdFile()));
        this.mqtt = new MqttLink(settings.mqtt(), loop, settings.warningSummaryEvery(), gate[0]::command,
                supervisor::reportInvalidCommand, gate[0]::control, masker);
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

    /** Hands {@code command} to the supervisor as if it had come over MQTT ({@code --cds-training}). */
    void train(final dev.vigil.protocol.Command command) {
        supervisor.handle(command);
    }

    /** Reports a refused command as if it had come over MQTT ({@code --cds-training}). */
    void trainRefused(final String reason) {
        supervisor.reportInvalidCommand(reason);
    }

    /** The shutdown steps but the last (the logs stay open), for {@code --cds-training}. */
    void shutdownQuietly() {
        supervisor.shutdown(Duration.ofSeconds(5));
        mqtt.close(Duration.ofSeconds(1));
    }

    /** Runs the shutdown steps once and releases {@link #run()}. */
    void shutdown() {
        LOG.info("shutting down");
        shutdown.run();
        finished.countDown();
    }

    /**
     * Runs the loop on the calling thread (the main thread) until the process ends: the shutdown
     * steps run on the thread of the signal or of the JVM's hook, and halt or exit the JVM.
     */
    void run() throws InterruptedException {
        loop.run();
        finished.await();
    }
}
