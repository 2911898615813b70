package dev.vigil.agent;

import ch.qos.logback.classic.LoggerContext;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.homeassistant.Discovery;
import dev.vigil.agent.motion.MotionModeFile;
import dev.vigil.agent.motion.MotionPolicy;
import dev.vigil.agent.mqtt.MqttLink;
import dev.vigil.agent.pipeline.LaunchSpecs;
import dev.vigil.agent.pipeline.SecretMasker;
import dev.vigil.agent.snapshot.SnapshotFiles;
import dev.vigil.agent.supervise.CameraCoordinator;
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
 * Commands from the MQTT link pass the operator's hold, then the camera coordinator (the motion
 * watcher, snapshots, and the hand-over of the camera), which passes start and stop on to the
 * stream's supervisor; states go out the other way.
 */
final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final SingleThreadLoop loop = new SingleThreadLoop("vigil-agent");
    private final Supervisor supervisor;
    private final MqttLink mqtt;
    private final CameraCoordinator camera;
    private final ShutdownSequence shutdown;
    private final CountDownLatch finished = new CountDownLatch(1);

    Agent(final AgentSettings settings, final LaunchSpecs launchSpecs, final Clock clock) {
        final SecretMasker masker = SecretMasker.of(settings.mqtt().broker().password(), settings.media().publishPassword());
        final CameraCoordinator[] coordinator = new CameraCoordinator[1];
        this.supervisor = new Supervisor(settings.supervisor(), launchSpecs, new NuProcessLauncher(), clock, loop.executor(),
                state -> coordinator[0].streamState(state), signal -> coordinator[0].streamMotion(signal));
        // Commands: MQTT -> the operator's hold -> the camera (watcher, snapshots, hand-over) -> the supervisor.
        // States: the supervisor -> the camera (adds the motion mode) -> the hold (adds it) -> MQTT.
        final HoldGate gate = new HoldGate(command -> coordinator[0].command(command), supervisor::reportInvalidCommand, clock,
                new HoldFile(settings.holdFile()));
        this.mqtt = new MqttLink(settings.mqtt(), loop, settings.warningSummaryEvery(), gate::command,
                supervisor::reportInvalidCommand, gate::control, masker);
        this.camera = new CameraCoordinator(supervisor, launchSpecs, new NuProcessLauncher(), mqtt,
                new SnapshotFiles(settings.snapshot().dir(), clock),
                new MotionPolicy(settings.motion().cooldown(), settings.motion().streamLease(), clock),
                new MotionModeFile(settings.motion().modeFile()), settings.motion().enabled(), settings.supervisor(),
                settings.snapshot().maxAge(), settings.snapshot().timeout(), settings.motion().streamLease(), loop.executor(), clock);
        coordinator[0] = camera;
        camera.publishStatesTo(gate::state);
        gate.publishTo(mqtt::publishState);
        camera.hold(gate.hold());
        gate.onHold(camera::hold);
        if (settings.homeAssistant().enabled()) {
            mqtt.homeAssistant(new Discovery(settings.homeAssistant().discoveryPrefix(), settings.robotId(),
                    settings.homeAssistant().name(), settings.mqtt().topic(), settings.pipeline().name(), Main.version(),
                    settings.homeAssistant().liveLease()));
        }
        this.shutdown = new ShutdownSequence(settings.shutdownStepTimeout())
                .step("stop the motion watcher", () -> camera.shutdown(settings.shutdownStepTimeout()))
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
        camera.start();
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
        camera.shutdown(Duration.ofSeconds(5));
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
