package dev.vigil.bench.fleet;

import dev.vigil.testkit.Haproxy;
import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.Ports;
import dev.vigil.testkit.Postgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two real bridge jars, run with the systemd unit's JVM flags, sharing a real PostgreSQL, behind a
 * real HAProxy (round-robin): the cloud side of a fleet.
 */
final class BridgeCluster implements AutoCloseable {

    /** The unit's VIGIL_JAVA_OPTS (systemd/vigil-bridge.service). */
    /** Read from systemd/vigil-bridge.service; keep them in step. */
    static final List<String> UNIT_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx128m", "-Xss512k",
            "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError");

    private final Postgres postgres;
    private final List<ManagedProcess> bridges = new ArrayList<>();
    private Haproxy balancer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BridgeCluster(final Path jar, final String bridgeConf, final Map<String, String> env, final int count,
                  final Path work) throws Exception {
        postgres = Postgres.start();
        try {
            start(jar, bridgeConf, env, count, work);
        } catch (final Exception | Error e) {
            close();
            throw e;
        }
    }

    private void start(final Path jar, final String bridgeConf, final Map<String, String> env, final int count,
                       final Path work) throws Exception {
        final Path conf = work.resolve("bridge.conf");
        Files.writeString(conf, bridgeConf + """
                vigil.bridge.database { url = "%s", user = "%s", password = "%s" }
                """.formatted(postgres.jdbcUrl(), postgres.user(), postgres.password()));
        final List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int port = Ports.free();
            ports.add(port);
            final Map<String, String> bridgeEnv = new java.util.HashMap<>(env);
            bridgeEnv.put("BRIDGE_HOST", "127.0.0.1");
            bridgeEnv.put("BRIDGE_PORT", Integer.toString(port));
            bridgeEnv.put("VIGIL_ACCESS_LOG_LEVEL", "WARN");
            // As the unit sets it (systemd/vigil-bridge.service): few glibc malloc arenas.
            bridgeEnv.put("MALLOC_ARENA_MAX", "2");
            final List<String> argv = new ArrayList<>(List.of(Java.binary()));
            argv.addAll(UNIT_JVM_FLAGS);
            argv.addAll(List.of("-Dconfig.file=" + conf, "-jar", jar.toString()));
            final Path dir = Files.createDirectories(work.resolve("bridge" + (i + 1)));
            bridges.add(ManagedProcess.start(argv, bridgeEnv, dir));
        }
        for (final ManagedProcess bridge : bridges) {
            final Instant deadline = Instant.now().plusSeconds(60);
            while (!bridge.anyLineContains("listening on http://")) {
                if (!bridge.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("a bridge did not start:\n" + String.join("\n", bridge.lines()));
                }
                Thread.sleep(100);
            }
        }
        balancer = Haproxy.start(ports, "/observe/health");
        this.ports.addAll(ports);
    }

    private final List<Integer> ports = new ArrayList<>();

    /** The balancer's base URL. */
    String base() {
        return balancer.base();
    }

    /** Bridge {@code i}'s own base URL. */
    String base(final int i) {
        return "http://127.0.0.1:" + ports.get(i);
    }

    List<Long> pids() {
        return bridges.stream().map(ManagedProcess::pid).toList();
    }

    HttpResponse<String> send(final String base, final String method, final String path, final String auth,
                              final String body) throws Exception {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", auth).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    /** Lines a bridge printed (warnings and errors, with the access log off). */
    List<String> log(final int i) {
        return bridges.get(i).lines();
    }

    @Override
    public void close() {
        try {
            if (balancer != null) {
                balancer.close();
            }
        } finally {
            bridges.forEach(ManagedProcess::close);
            postgres.close();
        }
    }
}
