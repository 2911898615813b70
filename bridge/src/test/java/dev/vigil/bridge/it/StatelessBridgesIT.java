package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.Haproxy;
import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.MediaMtx;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.Ports;
import dev.vigil.testkit.Postgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two bridges that share one real PostgreSQL, behind a real HAProxy that sends requests to them in
 * turn, with a real mosquitto, the real MediaMTX (asking the bridges through HAProxy) and the real
 * agent: whatever one bridge was told, the other one serves, and a view outlives the bridge that
 * opened it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatelessBridgesIT {

    private static final String MQTT_USER = "bridges";
    private static final String MQTT_PASSWORD = "bridges-Mqtt-Pass-8";
    private static final String PATH = "live/stream";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIEWER = "Bearer " + TestConfigs.VIEWER_TOKEN;
    private static final String OPERATOR = "Bearer " + TestConfigs.OPERATOR_TOKEN;
    /** The views' timing (below): the agent's lease runs out 5 s after the last start it got. */
    private static final Duration AGENT_LEASE = Duration.ofSeconds(5);
    private static final Duration LINGER = Duration.ofSeconds(2);

    private final List<AutoCloseable> parts = new ArrayList<>();
    private Postgres postgres;
    private Mosquitto broker;
    private final BridgeProcess[] bridges = new BridgeProcess[2];
    private final int[] ports = {Ports.free(), Ports.free()};
    private Haproxy balancer;
    private MediaMtx relay;
    private Path config;
    private Map<String, String> env;

    @BeforeAll
    void start() throws Exception {
        postgres = Postgres.start();
        parts.add(postgres);
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        parts.add(broker);
        config = Files.createTempFile("vigil-bridges", ".conf");
        Files.writeString(config, TestConfigs.hocon("""
                vigil.bridge.database {
                  url = "%s"
                  user = "%s"
                  password = "%s"
                  refresh-every = 500ms
                  connect-timeout = 1s
                }
                vigil.bridge.server.trusted-proxies = ["127.0.0.1"]
                vigil.bridge.views { ttl = 3s, agent-lease-margin = 2s, renew-every = 1s, linger = 2s, sweep-every = 200ms }
                """.formatted(postgres.jdbcUrl(), postgres.user(), postgres.password())));
        env = Map.of("MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD);
        for (int i = 0; i < 2; i++) {
            bridges[i] = BridgeProcess.start(config, env, ports[i]);
        }
        balancer = Haproxy.start(List.of(ports[0], ports[1]), "/observe/health");
        parts.add(balancer);
        // The relay asks whichever bridge HAProxy picks.
        relay = MediaMtx.builder().httpAuth(balancer.base() + "/relay/auth")
                .apiCredentials(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD).start();
        parts.add(relay);
        final Path repo = Path.of("..").toAbsolutePath().normalize();
        final Path work = Files.createTempDirectory("vigil-agent");
        final ManagedProcess agent = ManagedProcess.start(List.of(Java.binary(), "-jar",
                        repo.resolve("agent/target/vigil-agent.jar").toString()),
                Map.ofEntries(Map.entry("MQTT_BROKER", "127.0.0.1"), Map.entry("MQTT_PORT", Integer.toString(broker.port())),
                        Map.entry("MQTT_USER", MQTT_USER), Map.entry("MQTT_PASS", MQTT_PASSWORD),
                        Map.entry("MQTT_TOPIC", "robot/stream"), Map.entry("MEDIA_SERVER", relay.hostAndPort()),
                        Map.entry("MEDIA_PUBLISH_USER", TestConfigs.ROBOT_USER),
                        Map.entry("MEDIA_PUBLISH_PASS", TestConfigs.ROBOT_PASSWORD), Map.entry("ROBOT_ID", "default"),
                        Map.entry("AGENT_PIPELINE", "testsrc"),
                        Map.entry("AGENT_PIPELINES_DIR", repo.resolve("pipelines").toString()),
                        Map.entry("AGENT_PID_FILE", work.resolve("gst.pid").toString())), work);
        parts.add(agent);
        await().ignoreExceptions().atMost(Duration.ofSeconds(40)).until(() ->
                robot(bridges[0]).get("online").asBoolean() && robot(bridges[1]).get("online").asBoolean());
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).close();
        }
        for (final BridgeProcess bridge : bridges) {
            if (bridge != null) {
                bridge.close();
            }
        }
    }

    @AfterEach
    void bothBridgesUp_andRobotIdle() throws Exception {
        for (int i = 0; i < 2; i++) {
            if (!bridges[i].isAlive()) {
                bridges[i] = BridgeProcess.start(config, env, ports[i]);
            }
        }
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !relay.ready(PATH));
    }

    private HttpResponse<String> call(final String method, final String path, final String auth, final String body)
            throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(balancer.base() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", auth);
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static JsonNode robot(final BridgeProcess bridge) throws Exception {
        return JSON.readTree(bridge.send("GET", "/robots/default", VIEWER, null).body());
    }

    /** How many requests each backend served, from HAProxy's log ({@code bridges/b1}, {@code bridges/b2}). */
    private long served(final String backend) {
        return balancer.log().stream().filter(l -> l.contains("bridges/" + backend + " ")).count();
    }

    private static String leaseOf(final HttpResponse<String> opened) throws Exception {
        assertEquals(201, opened.statusCode(), opened.body());
        return JSON.readTree(opened.body()).get("lease").asText();
    }

    @Test
    void viewOpenedThroughOne_renewedThroughTheOther_streams_andReleaseThroughItStopsAfterTheLinger() throws Exception {
        final String lease = leaseOf(bridges[0].send("POST", "/robots/default/views", VIEWER, null));
        // Renewed through bridge 2 from the start, as a client does every second or so (the TTL is 3 s).
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                bridges[1].send("PUT", "/robots/default/views/" + lease, VIEWER, null).statusCode() == 200
                        && relay.ready(PATH));
        // Longer than the agent's own lease: only the starts that bridge 2 (or 1) keeps sending hold it.
        await().during(AGENT_LEASE.plusSeconds(2)).atMost(AGENT_LEASE.plusSeconds(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> bridges[1].send("PUT", "/robots/default/views/" + lease, VIEWER, null).statusCode() == 200
                        && relay.ready(PATH));
        assertEquals(1, robot(bridges[1]).get("views").asInt());
        final long released = System.nanoTime();
        assertEquals(204, bridges[1].send("DELETE", "/robots/default/views/" + lease, VIEWER, null).statusCode());
        await().atMost(Duration.ofSeconds(15)).until(() -> !relay.ready(PATH));
        final Duration took = Duration.ofNanos(System.nanoTime() - released);
        assertTrue(took.compareTo(LINGER) >= 0, "stopped only after the linger, not " + took);
    }

    @Test
    void killMinus9OfEitherBridge_midView_keepsStreaming_andReleaseStopsAfterTheLinger() throws Exception {
        final String lease = leaseOf(call("POST", "/robots/default/views", VIEWER, null));
        // The client renews through HAProxy every second, as the page does, whatever happens to the bridges.
        final AtomicInteger renewed = new AtomicInteger();
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread client = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    final HttpResponse<String> res = call("PUT", "/robots/default/views/" + lease, VIEWER, null);
                    if (res.statusCode() == 200) {
                        renewed.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, res.statusCode() + " " + res.body());
                    }
                    Thread.sleep(1000);
                } catch (final InterruptedException e) {
                    return;
                } catch (final Exception e) {
                    failure.compareAndSet(null, e.toString());
                }
            }
        });
        try {
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> relay.ready(PATH));
            for (int i = 0; i < 2; i++) {
                bridges[i].kill();
                final long before = served(i == 0 ? "b2" : "b1");
                await().during(AGENT_LEASE.plusSeconds(2)).atMost(AGENT_LEASE.plusSeconds(5))
                        .pollInterval(Duration.ofMillis(250)).until(() -> relay.ready(PATH));
                assertEquals(null, failure.get(), "every renewal through HAProxy answered 200");
                assertTrue(served(i == 0 ? "b2" : "b1") > before, "the other bridge served the renewals");
                final String backend = "bridges/b" + (i + 1) + " is UP";
                final long upBefore = balancer.log().stream().filter(l -> l.contains(backend)).count();
                bridges[i] = BridgeProcess.start(config, env, ports[i]);
                // Back in HAProxy's rotation before the other one goes.
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        balancer.log().stream().filter(l -> l.contains(backend)).count() > upBefore);
            }
        } finally {
            client.interrupt();
            client.join();
        }
        assertEquals(null, failure.get(), "every renewal through HAProxy answered 200");
        assertTrue(renewed.get() > 10, "renewed " + renewed.get() + " times");
        final long released = System.nanoTime();
        assertEquals(204, call("DELETE", "/robots/default/views/" + lease, VIEWER, null).statusCode());
        await().atMost(Duration.ofSeconds(15)).until(() -> !relay.ready(PATH));
        assertTrue(Duration.ofNanos(System.nanoTime() - released).compareTo(LINGER) >= 0, "stopped after the linger");
    }

    @Test
    void registryChangeThroughOneBridge_isServedByBoth() throws Exception {
        final HttpResponse<String> added = call("POST", "/registry/robots", OPERATOR, "{\"id\":\"shared1\"}");
        assertEquals(201, added.statusCode(), added.body());
        final HttpResponse<String> token = call("POST", "/registry/tokens", OPERATOR, "{\"name\":\"wall\",\"role\":\"viewer\"}");
        assertEquals(201, token.statusCode(), token.body());
        final String viewer = "Bearer " + JSON.readTree(token.body()).get("token").asText();
        // Within the refresh, every request answers the same, whichever bridge HAProxy picks.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < 4; i++) {
                if (call("GET", "/robots/shared1", viewer, null).statusCode() != 200) {
                    return false;
                }
            }
            return true;
        });
        final long b1 = served("b1");
        final long b2 = served("b2");
        for (int i = 0; i < 6; i++) {
            final HttpResponse<String> robot = call("GET", "/robots/shared1", viewer, null);
            assertEquals(200, robot.statusCode(), robot.body());
            assertEquals("live/shared1", JSON.readTree(robot.body()).get("relayPath").asText());
        }
        assertTrue(served("b1") > b1 && served("b2") > b2, "both bridges answered:\n" + String.join("\n", balancer.log()));
        // The CLI, against the same database, reaches both as well.
        final BridgeProcess.CliRun removed = bridges[0].cli("", "robot", "remove", "shared1");
        assertEquals(0, removed.exit(), removed.err());
        await().atMost(Duration.ofSeconds(10)).until(() -> bridges[0].send("GET", "/robots/shared1", viewer, null).statusCode() == 404
                && bridges[1].send("GET", "/robots/shared1", viewer, null).statusCode() == 404);
    }

    @Test
    void databaseAway_registryAnswers503_whileRobotsAreStillServed_thenRecovers() throws Exception {
        postgres.stop();
        try {
            final HttpResponse<String> registry = call("GET", "/registry/robots", OPERATOR, null);
            assertEquals(503, registry.statusCode(), registry.body());
            assertTrue(registry.headers().firstValue("Retry-After").isPresent());
            // What the bridges hold already keeps working: the robots, sign-in, the state.
            assertEquals(200, call("GET", "/robots/default", VIEWER, null).statusCode());
        } finally {
            postgres.restart();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/registry/robots", OPERATOR, null).statusCode() == 200
                && call("GET", "/registry/robots", OPERATOR, null).statusCode() == 200);
        for (final BridgeProcess bridge : bridges) {
            assertTrue(bridge.isAlive());
            final List<String> lines = bridge.lines();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("\tat ")) {
                    throw new AssertionError("a stack trace in a bridge's log:\n"
                            + String.join("\n", lines.subList(Math.max(0, i - 3), Math.min(lines.size(), i + 3))));
                }
            }
        }
    }
}
