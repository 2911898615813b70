package dev.vigil.bench.fleet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.config.SettingsLoader;
import dev.vigil.agent.mqtt.MqttLink;
import dev.vigil.agent.pipeline.LaunchSpecs;
import dev.vigil.agent.pipeline.SecretMasker;
import dev.vigil.agent.supervise.Supervisor;
import dev.vigil.common.mqtt.SingleThreadLoop;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Many robots in one JVM, each the agent's own code: its settings loaded by the agent's
 * {@link SettingsLoader}, its {@link Supervisor} and its {@link MqttLink} (one MQTT connection per
 * robot, a persistent session, the Will), wired as the agent's {@code Agent} wires them but for the
 * operator's hold gate (package-private to the agent; no operator holds a robot here). Only the child
 * process is a fake ({@link FakeGstLauncher}). Robots share a few event loops, each serving its robots
 * one event at a time as a real agent's one loop does.
 */
final class SimulatedFleet implements AutoCloseable {

    private final List<SingleThreadLoop> loops = new ArrayList<>();
    private final List<Robot> robots = new ArrayList<>();
    private final ScheduledExecutorService childTimers = Executors.newScheduledThreadPool(2, r -> {
        final Thread thread = new Thread(r, "fake-gst");
        thread.setDaemon(true);
        return thread;
    });

    private record Robot(Supervisor supervisor, MqttLink link) {
    }

    /**
     * Makes {@code ids} robots on the broker at {@code host:port} as {@code user}, on {@code loopCount}
     * loops, each with its PID and hold files under {@code work}.
     */
    SimulatedFleet(final List<String> ids, final String host, final int port, final String user, final String password,
                   final Path pipelines, final Path work, final int loopCount) throws Exception {
        for (int i = 0; i < loopCount; i++) {
            final SingleThreadLoop loop = new SingleThreadLoop("fleet-" + i);
            loops.add(loop);
            // The agent runs its loop on its main thread; here each loop gets a thread of its own.
            Thread.ofPlatform().daemon().name("fleet-" + i).start(() -> {
                try {
                    loop.run();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        final FakeGstLauncher launcher = new FakeGstLauncher(childTimers, 50);
        int n = 0;
        for (final String id : ids) {
            final SingleThreadLoop loop = loops.get(n++ % loopCount);
            final AgentSettings settings = SettingsLoader.load(config(id, host, port, user, password, pipelines, work));
            final LaunchSpecs specs = new LaunchSpecs(settings, Clock.systemUTC());
            final MqttLink[] link = new MqttLink[1];
            final Supervisor supervisor = new Supervisor(settings.supervisor(), specs, launcher, Clock.systemUTC(),
                    loop.executor(), state -> link[0].publishState(state), signal -> { });
            link[0] = new MqttLink(settings.mqtt(), loop, settings.warningSummaryEvery(), supervisor::handle,
                    supervisor::reportInvalidCommand, control -> { }, SecretMasker.of(password));
            robots.add(new Robot(supervisor, link[0]));
        }
    }

    private static Config config(final String id, final String host, final int port, final String user,
                                 final String password, final Path pipelines, final Path work) {
        final Map<String, Object> values = new HashMap<>();
        values.put("vigil.agent.robot-id", id);
        values.put("vigil.agent.mqtt.host", host);
        values.put("vigil.agent.mqtt.port", port);
        values.put("vigil.agent.mqtt.user", user);
        values.put("vigil.agent.mqtt.password", password);
        values.put("vigil.agent.mqtt.topic", "robots/" + id + "/stream");
        values.put("vigil.agent.pipeline.name", "testsrc");
        values.put("vigil.agent.pipeline.dir", pipelines.toString());
        values.put("vigil.agent.supervisor.pid-file", work.resolve(id + ".pid").toString());
        values.put("vigil.agent.hold-file", work.resolve(id + ".hold.json").toString());
        return ConfigFactory.parseMap(values).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    /** Starts every robot: each connects and announces itself (retained online, then its state). */
    void start() {
        for (final Robot robot : robots) {
            robot.supervisor().start();
            robot.link().connect();
        }
    }

    int size() {
        return robots.size();
    }

    @Override
    public void close() {
        for (final Robot robot : robots) {
            try {
                robot.supervisor().shutdown(Duration.ofSeconds(2));
                robot.link().close(Duration.ofSeconds(2));
            } catch (final RuntimeException e) {
                // the bench is over; the broker goes next anyway
            }
        }
        loops.forEach(loop -> loop.close(Duration.ofSeconds(2)));
        childTimers.shutdownNow();
    }
}
