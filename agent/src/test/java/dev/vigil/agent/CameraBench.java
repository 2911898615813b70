package dev.vigil.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.protocol.EventMessage;
import dev.vigil.protocol.StreamState;
import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera figures of {@code bench/camera/run.sh}, not a test that CI runs (its name does not end in
 * IT): {@code mvn -pl agent -am verify -Dit.test=CameraBench -Dvigil.bench.rounds=5}. The real agent jar
 * publishes the test pattern over RTSP ({@code testsrc-rtsp}) into the real MediaMTX; each figure is
 * logged as {@code camera-bench <name>=<value>} beside its floor, measured in the same run:
 * <ul>
 *   <li>motion -> first frame: the agent's {@code motion} event -> the relay has the stream, and -> the
 *       first decoded frame of an RTSP reader ({@code rtspsrc latency=0}, as bench/relay) launched when the relay has it; floor: the same after a
 *       plain {@code start};</li>
 *   <li>the watcher's CPU: its gst-launch over 20 s while it watches a still picture, at the test
 *       pattern's watch size (160x120) and at a camera's (640x480), each at 5 fps; floor: the same
 *       source with no branch;</li>
 *   <li>snapshot latency and size: {@code snapshot} published -> the JPEG on {@code B/snapshot}, at idle
 *       (a picture-only pipeline runs), while watching and while streaming.</li>
 * </ul>
 */
class CameraBench extends RealServers {

    private static final Logger LOG = LoggerFactory.getLogger(CameraBench.class);
    private static final int ROUNDS = Integer.getInteger("vigil.bench.rounds", 5);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration CPU_WINDOW = Duration.ofSeconds(20);
    private static final long TICKS = 100;

    private static AgentUnderTest agent(final String name, final boolean motion, final String watchPattern,
                                        final Map<String, String> more) {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENT_PIPELINE", "testsrc-rtsp");
        env.put("MEDIA_SERVER", "127.0.0.1:" + relay.rtspPort());
        env.put("MEDIA_URL_TEMPLATE", "rtsp://{user}:{pass}@{server}/{path}");
        env.put("AGENT_MOTION", Boolean.toString(motion));
        env.put("-Dvigil.agent.motion.watch-params.pattern", watchPattern);
        env.put("-Dvigil.agent.motion.cooldown", "0s");
        env.put("-Dvigil.agent.motion.stream-lease", "3s");
        env.put("-Dvigil.agent.pipeline.params.pattern", "colors");
        env.putAll(more);
        return AgentUnderTest.start(name, broker, relay, env, AgentUnderTest.MQTT_PASSWORD);
    }

    private static void report(final String name, final double value, final String unit) {
        LOG.info("camera-bench {}={}{}", name, String.format(java.util.Locale.ROOT, "%.1f", value), unit);
    }

    /** Waits, polling every 5 ms, until {@code condition} holds; returns when it was first seen. */
    private static Instant until(final BooleanSupplier condition) {
        final Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return Instant.now();
            }
            try {
                Thread.sleep(5);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("not within " + WAIT);
    }

    /** An RTSP reader launched now; returns when it has decoded its first frame (and exited). */
    private static Instant firstFrame(final String path) {
        try (ManagedProcess reader = ManagedProcess.start(List.of("gst-launch-1.0", "rtspsrc", "location=" + relay.rtspUrl(path),
                "protocols=tcp", "latency=0", "user-agent=vigil-bench", "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264",
                "output-corrupt=false", "!", "identity", "eos-after=1", "!", "fakesink", "sync=false"), Map.of(), Path.of("."))) {
            assertEquals(0, reader.awaitExit(WAIT), String.join("\n", reader.lines()));
            return Instant.now();
        }
    }

    private static double millis(final Instant from, final Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    @Test
    void motionToFirstFrame_besideAPlainStart() {
        final String name = "bench-motion";
        final String path = "live/" + name;
        try (AgentUnderTest agent = agent(name, false, "ball", Map.of())) {
            agent.awaitState(StreamState.IDLE, WAIT);
            for (int round = 1; round <= ROUNDS; round++) {
                final Instant start = Instant.now();
                agent.send("start");
                final Instant ready = until(() -> relay.ready(path));
                final Instant frame = firstFrame(path);
                report("start-to-relay-ready", millis(start, ready), "ms");
                report("start-to-first-frame", millis(start, frame), "ms");
                agent.send("stop");
                agent.awaitState(StreamState.IDLE, WAIT);
                await().atMost(WAIT).until(() -> !relay.ready(path));

                final int events = agent.events().size();
                final Instant watching = Instant.now();
                agent.send("motion-on");
                until(() -> agent.events().size() > events);
                final EventMessage event = agent.events().get(events);
                assertEquals(EventMessage.Type.MOTION, event.type());
                final Instant motionReady = until(() -> relay.ready(path));
                final Instant motionFrame = firstFrame(path);
                report("motion-on-to-event", millis(watching, event.time()), "ms");
                report("motion-to-relay-ready", millis(event.time(), motionReady), "ms");
                report("motion-to-first-frame", millis(event.time(), motionFrame), "ms");
                agent.send("motion-off");
                agent.awaitState(StreamState.IDLE, WAIT);
                await().atMost(WAIT).until(() -> !relay.ready(path) && agent.children().isEmpty());
            }
        }
    }

    @Test
    void watcherCpu_besideTheBareSource() throws Exception {
        for (final String size : List.of("160x120", "640x480")) {
            final String[] wh = size.split("x");
            try (AgentUnderTest agent = agent("bench-cpu-" + size, true, "smpte100",
                    Map.of("-Dvigil.agent.motion.watch-params.width", wh[0], "-Dvigil.agent.motion.watch-params.height", wh[1]))) {
                await().atMost(WAIT).until(() -> agent.watchers().size() == 1);
                final long watcher = agent.watchers().get(0);
                Thread.sleep(3000);
                report("watcher-cpu-" + size, cpuPercent(watcher), "%");
                report("agent-jvm-cpu-watching-" + size, cpuPercent(agent.process.pid()), "%");
                final List<String> argv = Arrays.asList(Processes.commandLine(watcher).split(" "));
                final int branch = argv.indexOf("cam.");
                final List<String> bare = new ArrayList<>(argv.subList(0, branch));
                bare.remove("-m");
                bare.addAll(List.of("cam.", "!", "queue", "!", "fakesink", "sync=false"));
                agent.send("motion-off");
                await().atMost(WAIT).until(() -> agent.children().isEmpty());
                try (ManagedProcess floor = ManagedProcess.start(bare, Map.of(), Path.of("."))) {
                    Thread.sleep(3000);
                    assertTrue(floor.isAlive(), String.join("\n", floor.lines()));
                    report("bare-source-cpu-" + size, cpuPercent(floor.pid()), "%");
                }
            }
        }
    }

    @Test
    void snapshotLatencyAndSize_atIdleWatchingAndStreaming() {
        try (AgentUnderTest agent = agent("bench-snap", false, "smpte100", Map.of())) {
            agent.awaitState(StreamState.IDLE, WAIT);
            for (int round = 1; round <= ROUNDS; round++) {
                snapshot(agent, "idle");
                await().atMost(WAIT).until(() -> agent.children().isEmpty());
            }
            agent.send("motion-on");
            await().atMost(WAIT).until(() -> agent.watchers().size() == 1);
            for (int round = 1; round <= ROUNDS; round++) {
                snapshot(agent, "watching");
            }
            agent.send("motion-off");
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, WAIT);
            for (int round = 1; round <= ROUNDS; round++) {
                snapshot(agent, "streaming");
            }
            agent.send("stop");
            agent.awaitState(StreamState.IDLE, WAIT);
        }
    }

    private static void snapshot(final AgentUnderTest agent, final String when) {
        final int before = agent.snapshots().size();
        final Instant asked = Instant.now();
        agent.send("snapshot");
        final Instant got = until(() -> agent.snapshots().size() > before);
        report("snapshot-" + when, millis(asked, got), "ms");
        report("snapshot-bytes-" + when, agent.snapshots().get(before).length, "B");
    }

    /** The CPU share of {@code pid} over {@link #CPU_WINDOW}, from /proc (user + system ticks). */
    private static double cpuPercent(final long pid) throws IOException, InterruptedException {
        final long before = ticks(pid);
        final long started = System.nanoTime();
        Thread.sleep(CPU_WINDOW.toMillis());
        final long used = ticks(pid) - before;
        return used * 100.0 / TICKS / ((System.nanoTime() - started) / 1e9);
    }

    private static long ticks(final long pid) throws IOException {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
