package dev.vigil.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.StreamState;
import dev.vigil.testkit.Java;
import dev.vigil.testkit.Mosquitto;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench/fleet}: a fleet of simulated robots (the agent's own MQTT and supervisor code, a fake
 * gst-launch) on a real mosquitto, driven through two real bridges that share a real PostgreSQL,
 * behind a real HAProxy. Measures what issue 11 asks, each beside a floor measured in the same run,
 * and writes the table to the file given.
 *
 * <pre>java ... dev.vigil.bench.fleet.FleetBench [robots] [results.md]</pre>
 */
public final class FleetBench {

    private static final Logger LOG = LoggerFactory.getLogger(FleetBench.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(3);

    private final int robots;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final List<String[]> rows = new ArrayList<>();
    private final String operator;
    private final String viewer;
    private final String operatorToken;
    private final String viewerToken;

    private FleetBench(final int robots) {
        this.robots = robots;
        for (int i = 1; i <= robots; i++) {
            ids.add(String.format(Locale.ROOT, "bot%04d", i));
        }
        this.operatorToken = "bench-operator-" + random();
        this.viewerToken = "bench-viewer-" + random();
        this.operator = "Bearer " + operatorToken;
        this.viewer = "Bearer " + viewerToken;
    }

    /** Runs the bench; the figures are also returned for a caller (the smoke test). */
    public static Map<String, String> run(final int robots, final Path out) throws Exception {
        return new FleetBench(robots).measure(out);
    }

    public static void main(final String[] args) throws Exception {
        final int robots = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        final Path out = Path.of(args.length > 1 ? args[1] : "bench/fleet/results.md");
        run(robots, out);
        System.exit(0);
    }

    private Map<String, String> measure(final Path out) throws Exception {
        final Path work = Files.createTempDirectory("vigil-fleet-bench");
        final String robotPass = "robot-" + random();
        final String bridgePass = "bridge-" + random();
        final String benchPass = "bench-" + random();
        final Path repo = Java.repoRoot();
        // A fleet's broker: a subscriber of every robot (a bridge) gets thousands of retained messages at
        // once when the robots (re)connect; mosquitto's default queue of 1,000 per client would drop them
        // (the Ansible mosquitto role sets the same 100,000: mosquitto_max_queued_messages).
        try (Mosquitto broker = Mosquitto.builder().user("robot", robotPass).user("bridge", bridgePass)
                .user("bench", benchPass).setting("max_queued_messages 100000").setting("max_inflight_messages 100").start();
             BridgeCluster cluster = new BridgeCluster(repo.resolve("bridge/target/vigil-bridge.jar"),
                     bridgeConfig(broker.port(), bridgePass), Map.of(), 2, work);
             StateWatcher watcher = new StateWatcher(broker.host(), broker.port(), "bench", benchPass)) {
            final List<Long> pids = new ArrayList<>(cluster.pids());
            final long brokerPid = broker.pid();
            final PeakRss peak = new PeakRss(List.of(() -> pids.get(0), () -> pids.get(1), broker::pid));

            // Baseline: the bridges and the broker with no robot at all.
            final double[] idleEmpty = cpuOver(List.of(pids.get(0), pids.get(1), brokerPid), Duration.ofSeconds(5));
            final double rssEmpty0 = ProcStats.rssMib(pids.get(0));
            final double rssEmpty1 = ProcStats.rssMib(pids.get(1));
            final double rssBrokerEmpty = ProcStats.rssMib(brokerPid);

            // Registry: every robot added through the balancer (POST /registry/robots).
            long t0 = System.nanoTime();
            parallel(16, ids, id -> expect(cluster.send(cluster.base(), "POST", "/registry/robots", operator,
                    "{\"id\":\"" + id + "\"}"), 201));
            final double registerSeconds = (System.nanoTime() - t0) / 1e9;
            await("both bridges list every robot", () -> listed(cluster, 0) == robots && listed(cluster, 1) == robots);

            // Announce: every robot connects and says it is online; both bridges see it.
            t0 = System.nanoTime();
            try (SimulatedFleet fleet = new SimulatedFleet(ids, broker.host(), broker.port(), "robot", robotPass,
                    repo.resolve("pipelines"), work, Math.max(1, Math.min(16, robots / 50)))) {
                fleet.start();
                await("every robot online at the broker", () -> watcher.online() == robots);
                final double announceBroker = (System.nanoTime() - t0) / 1e9;
                await("both bridges see every robot online", () -> online(cluster, 0) == robots && online(cluster, 1) == robots);
                final double announceBridges = (System.nanoTime() - t0) / 1e9;

                final double[] idleFull = cpuOver(List.of(pids.get(0), pids.get(1), brokerPid), Duration.ofSeconds(5));
                final double rssIdle0 = ProcStats.rssMib(pids.get(0));
                final double rssIdle1 = ProcStats.rssMib(pids.get(1));

                // Floor of the fan-out: start published straight to every robot, no bridge in the way.
                final Percentiles floor = fanOut(watcher, id -> watcher.send(id, Command.start()), 1);
                stopAll(watcher, id -> watcher.send(id, Command.stop()));

                // The fan-out through the bridges: POST /robots/{id}/stream/start for every robot.
                final ProcStats.Sample[] before = samples(pids.get(0), pids.get(1), brokerPid);
                final long fanStart = System.nanoTime();
                final Percentiles fan = fanOut(watcher, id -> expect(cluster.send(cluster.base(), "POST",
                        "/robots/" + id + "/stream/start", operator, null), 202), 64);
                final double fanAll = (System.nanoTime() - fanStart) / 1e9;
                final ProcStats.Sample[] after = samples(pids.get(0), pids.get(1), brokerPid);
                stopAll(watcher, id -> expect(cluster.send(cluster.base(), "POST", "/robots/" + id + "/stream/stop",
                        operator, null), 202));

                // GET /robots with every robot, beside GET / (the same server, nothing to list).
                final Percentiles list = timeGets(cluster, "/robots", viewer, 200);
                final Percentiles root = timeGets(cluster, "/", null, 200);

                // One SSE stream while every robot changes state.
                final double[] sse = sseFanOut(cluster, watcher);
                stopAll(watcher, id -> watcher.send(id, Command.stop()));

                // Broker restart: every robot and both bridges back.
                watcher.forgetOnline();
                broker.stop();
                final long down = System.nanoTime();
                broker.restart();
                final long up = System.nanoTime();
                await("every robot back at the broker", () -> watcher.online() == robots);
                final double backBroker = (System.nanoTime() - up) / 1e9;
                await("both bridges see every robot back", () -> online(cluster, 0) == robots && online(cluster, 1) == robots);
                final double backBridges = (System.nanoTime() - up) / 1e9;
                final double brokerRestart = (up - down) / 1e9;

                peak.stop();
                final double live0 = ProcStats.liveHeapMib(pids.get(0));
                final double live1 = ProcStats.liveHeapMib(pids.get(1));
                row("robots added through the registry API (16 at a time)", fmt(robots / registerSeconds) + " robots/s",
                        "-", "-");
                row("announce: all " + robots + " online at the broker / at both bridges",
                        fmt(announceBroker) + " s / " + fmt(announceBridges) + " s", "-", "-");
                row("fan-out: start to all " + robots + " -> streaming acknowledged, per robot p50 / p99 / max",
                        ms(fan.at(50)) + " / " + ms(fan.at(99)) + " / " + ms(fan.max()), "p99 <= 1000 ms",
                        "straight to the broker: " + ms(floor.at(50)) + " / " + ms(floor.at(99)) + " / " + ms(floor.max()));
                row("fan-out: first POST to last robot streaming", fmt(fanAll) + " s", "-", "-");
                row("GET /robots with " + robots + " robots, p50 / p99 (200 requests, through HAProxy)",
                        ms(list.at(50)) + " / " + ms(list.at(99)), "p99 <= 50 ms",
                        "GET /: " + ms(root.at(50)) + " / " + ms(root.at(99)));
                row("one SSE stream, " + robots + " robots change state: last robot's event after the change",
                        fmt(sse[0]) + " s (" + (int) sse[1] + " events)", "-",
                        "the same changes at an MQTT observer: " + fmt(sse[2]) + " s");
                row("broker restart: all " + robots + " back at the broker / at both bridges",
                        fmt(backBroker) + " s / " + fmt(backBridges) + " s", "<= 30 s",
                        "the broker's own restart: " + fmt(brokerRestart) + " s");
                row("bridge RSS: no robots / " + robots + " idle / peak", fmt(rssEmpty0) + ", " + fmt(rssEmpty1) + " / "
                        + fmt(rssIdle0) + ", " + fmt(rssIdle1) + " / " + fmt(peak.max(0)) + ", " + fmt(peak.max(1)) + " MiB",
                        "<= 256 MB", "live heap after a full GC, " + robots + " robots: " + fmt(live0) + ", " + fmt(live1)
                                + " MiB (unit flags: " + String.join(" ", BridgeCluster.UNIT_JVM_FLAGS) + ")");
                row("broker RSS: no robots / peak", fmt(rssBrokerEmpty) + " / " + fmt(peak.max(2)) + " MiB", "-", "-");
                row("CPU, % of one core (bridge 1, bridge 2, broker): idle without robots / idle with " + robots
                        + " / during the fan-out", pct(idleEmpty) + " / " + pct(idleFull) + " / "
                        + pct(new double[] {after[0].percentSince(before[0]), after[1].percentSince(before[1]),
                        after[2].percentSince(before[2])}), "-", "-");
            }
        }
        write(out);
        return figures;
    }

    private String bridgeConfig(final int mqttPort, final String password) throws Exception {
        return """
                vigil.bridge {
                  server.access-log = false
                  mqtt { broker = "127.0.0.1", port = %d, user = "bridge", password = "%s" }
                  auth.tokens {
                    ops { hash = "%s", role = operator }
                    wall { hash = "%s", role = viewer }
                  }
                }
                """.formatted(mqttPort, password, sha256(operatorToken), sha256(viewerToken));
    }

    private Percentiles fanOut(final StateWatcher watcher, final Task send, final int concurrency) throws Exception {
        final Map<String, Long> sent = new ConcurrentHashMap<>();
        final Map<String, Long> baseline = new ConcurrentHashMap<>();
        for (final String id : ids) {
            final Long last = watcher.reached(id, StreamState.STREAMING);
            baseline.put(id, last == null ? 0L : last);
        }
        parallel(concurrency, ids, id -> {
            sent.put(id, System.nanoTime());
            send.run(id);
        });
        await("every robot streaming", () -> ids.stream().allMatch(id -> {
            final Long at = watcher.reached(id, StreamState.STREAMING);
            return at != null && at > baseline.get(id);
        }));
        final Percentiles latency = new Percentiles();
        for (final String id : ids) {
            latency.add((watcher.reached(id, StreamState.STREAMING) - sent.get(id)) / 1e6);
        }
        return latency;
    }

    private void stopAll(final StateWatcher watcher, final Task send) throws Exception {
        final long since = System.nanoTime();
        parallel(32, ids, send);
        await("every robot idle", () -> ids.stream().allMatch(id -> {
            final Long at = watcher.reached(id, StreamState.IDLE);
            return at != null && at > since;
        }));
    }

    /** Seconds from the trigger until the SSE stream told every robot's streaming, the events it sent, the same at MQTT. */
    private double[] sseFanOut(final BridgeCluster cluster, final StateWatcher watcher) throws Exception {
        final Map<String, Long> streamingSeen = new ConcurrentHashMap<>();
        final AtomicInteger events = new AtomicInteger();
        final AtomicInteger initial = new AtomicInteger();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.base() + "/robots/events"))
                .header("Authorization", viewer).build();
        final HttpResponse<InputStream> response = cluster.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        final long[] trigger = {Long.MAX_VALUE};
        final Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("data:")) {
                        continue;
                    }
                    final long now = System.nanoTime();
                    final JsonNode robot = JSON.readTree(line.substring(5));
                    if (now < trigger[0]) {
                        initial.incrementAndGet();
                        continue;
                    }
                    events.incrementAndGet();
                    if ("streaming".equals(robot.path("state").asText())) {
                        streamingSeen.putIfAbsent(robot.path("id").asText(), now);
                    }
                }
            } catch (final Exception e) {
                LOG.debug("SSE reader ended: {}", e.toString());
            }
        });
        await("the SSE stream sent every robot once", () -> initial.get() >= robots + 1);
        final long since = System.nanoTime();
        trigger[0] = since;
        for (final String id : ids) {
            watcher.send(id, Command.start());
        }
        await("the SSE stream told every robot streaming", () -> streamingSeen.size() == robots);
        final double sse = (streamingSeen.values().stream().mapToLong(Long::longValue).max().orElse(since) - since) / 1e9;
        final double mqtt = (ids.stream().mapToLong(id -> watcher.reached(id, StreamState.STREAMING)).max().orElse(since)
                - since) / 1e9;
        reader.interrupt();
        response.body().close();
        return new double[] {sse, events.get(), mqtt};
    }

    private Percentiles timeGets(final BridgeCluster cluster, final String path, final String auth, final int count)
            throws Exception {
        // Warm up first (the JIT), as a running service is.
        for (int i = 0; i < 100; i++) {
            cluster.send(cluster.base(), "GET", path, auth == null ? "" : auth, null);
        }
        final Percentiles latency = new Percentiles();
        for (int i = 0; i < count; i++) {
            final long t0 = System.nanoTime();
            expect(cluster.send(cluster.base(), "GET", path, auth == null ? "" : auth, null), 200);
            latency.add((System.nanoTime() - t0) / 1e6);
        }
        return latency;
    }

    /** How many of the bench's robots bridge {@code bridge} lists (bridge.conf's example robot aside). */
    private int listed(final BridgeCluster cluster, final int bridge) throws Exception {
        int count = 0;
        for (final JsonNode robot : robotsOf(cluster, bridge)) {
            count += robot.path("id").asText().startsWith("bot") ? 1 : 0;
        }
        return count;
    }

    private int online(final BridgeCluster cluster, final int bridge) throws Exception {
        int count = 0;
        for (final JsonNode robot : robotsOf(cluster, bridge)) {
            count += robot.path("id").asText().startsWith("bot") && robot.path("online").asBoolean() ? 1 : 0;
        }
        return count;
    }

    private JsonNode robotsOf(final BridgeCluster cluster, final int bridge) throws Exception {
        final HttpResponse<String> res = cluster.send(cluster.base(bridge), "GET", "/robots", viewer, null);
        return res.statusCode() == 200 ? JSON.readTree(res.body()).path("robots") : JSON.createArrayNode();
    }

    private static double[] cpuOver(final List<Long> pids, final Duration duration) throws InterruptedException {
        final ProcStats.Sample[] before = pids.stream().map(ProcStats.Sample::of).toArray(ProcStats.Sample[]::new);
        Thread.sleep(duration.toMillis());
        final double[] out = new double[pids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ProcStats.Sample.of(pids.get(i)).percentSince(before[i]);
        }
        return out;
    }

    private static ProcStats.Sample[] samples(final long... pids) {
        final ProcStats.Sample[] out = new ProcStats.Sample[pids.length];
        for (int i = 0; i < pids.length; i++) {
            out[i] = ProcStats.Sample.of(pids[i]);
        }
        return out;
    }

    /** Runs {@code task} for every id, at most {@code concurrency} at a time, on virtual threads; fails on the first failure. */
    private static void parallel(final int concurrency, final List<String> ids, final Task task) throws Exception {
        final Semaphore slots = new Semaphore(concurrency);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            final List<Future<?>> done = new ArrayList<>();
            for (final String id : ids) {
                slots.acquire();
                done.add(pool.submit(() -> {
                    try {
                        task.run(id);
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (final Future<?> f : done) {
                f.get();
            }
        }
    }

    private static void expect(final HttpResponse<String> res, final int status) {
        if (res.statusCode() != status) {
            throw new IllegalStateException(res.request().method() + " " + res.request().uri().getPath() + ": "
                    + res.statusCode() + " " + res.body());
        }
    }

    private static void await(final String what, final Check condition) throws Exception {
        final Instant deadline = Instant.now().plus(PHASE_TIMEOUT);
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (final Exception e) {
                LOG.debug("{}: {}", what, e.toString());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    private void row(final String figure, final String measured, final String target, final String floor) {
        rows.add(new String[] {figure, measured, target, floor});
        figures.put(figure, measured);
        LOG.info("{}: {} (target {}; {})", figure, measured, target, floor);
    }

    private void write(final Path out) throws Exception {
        final StringBuilder md = new StringBuilder();
        md.append("| figure | measured | target | floor / baseline (same run) |\n|---|---|---|---|\n");
        for (final String[] row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
    }

    private static String fmt(final double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ms(final double millis) {
        return String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private static String pct(final double[] values) {
        final List<String> out = new ArrayList<>();
        for (final double v : values) {
            out.add(String.format(Locale.ROOT, "%.0f", v));
        }
        return String.join(", ", out);
    }

    private static String sha256(final String token) throws Exception {
        return "sha256$" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static String random() {
        final byte[] bytes = new byte[12];
        new java.security.SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    @FunctionalInterface
    private interface Task {
        void run(String id) throws Exception;
    }

    /** The highest RSS of each process (its pid asked afresh: the broker restarts), sampled every 250 ms until stopped. */
    private static final class PeakRss {
        private final double[] max;
        private final Thread sampler;

        PeakRss(final List<java.util.function.LongSupplier> pids) {
            this.max = new double[pids.size()];
            this.sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (int i = 0; i < pids.size(); i++) {
                        try {
                            final double rss = ProcStats.rssMib(pids.get(i).getAsLong());
                            if (!Double.isNaN(rss)) {
                                max[i] = Math.max(max[i], rss);
                            }
                        } catch (final IllegalStateException e) {
                            // the broker is restarting
                        }
                    }
                    try {
                        Thread.sleep(250);
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() {
            sampler.interrupt();
        }

        double max(final int i) {
            return max[i];
        }
    }
}
