package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.Haproxy;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two bridges that share one real PostgreSQL, behind a real HAProxy that sends requests to them in
 * turn, with a real mosquitto: whatever one bridge was told, the other one serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatelessBridgesIT {

    private static final String MQTT_USER = "bridges";
    private static final String MQTT_PASSWORD = "bridges-Mqtt-Pass-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> parts = new ArrayList<>();
    private Postgres postgres;
    private Mosquitto broker;
    private final BridgeProcess[] bridges = new BridgeProcess[2];
    private Haproxy balancer;
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
                """.formatted(postgres.jdbcUrl(), postgres.user(), postgres.password())));
        env = Map.of("MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD);
        final int[] ports = {Ports.free(), Ports.free()};
        for (int i = 0; i < 2; i++) {
            bridges[i] = BridgeProcess.start(config, env, ports[i]);
            parts.add(bridges[i]);
        }
        balancer = Haproxy.start(List.of(ports[0], ports[1]), "/observe/health");
        parts.add(balancer);
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).close();
        }
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

    /** How many requests each backend served, from HAProxy's log ({@code bridges/b1}, {@code bridges/b2}). */
    private long served(final String backend) {
        return balancer.log().stream().filter(l -> l.contains("bridges/" + backend + " ")).count();
    }

    @Test
    void registryChangeThroughOneBridge_isServedByBoth() throws Exception {
        final String operator = "Bearer " + TestConfigs.OPERATOR_TOKEN;
        final HttpResponse<String> added = call("POST", "/registry/robots", operator, "{\"id\":\"shared1\"}");
        assertEquals(201, added.statusCode(), added.body());
        final HttpResponse<String> token = call("POST", "/registry/tokens", operator, "{\"name\":\"wall\",\"role\":\"viewer\"}");
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
            final JsonNode json = JSON.readTree(robot.body());
            assertEquals("live/shared1", json.get("relayPath").asText());
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
        final String operator = "Bearer " + TestConfigs.OPERATOR_TOKEN;
        final String viewer = "Bearer " + TestConfigs.VIEWER_TOKEN;
        postgres.stop();
        try {
            final HttpResponse<String> registry = call("GET", "/registry/robots", operator, null);
            assertEquals(503, registry.statusCode(), registry.body());
            assertTrue(registry.headers().firstValue("Retry-After").isPresent());
            // What the bridges hold already keeps working: the robots, sign-in, the state.
            assertEquals(200, call("GET", "/robots/default", viewer, null).statusCode());
        } finally {
            postgres.restart();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/registry/robots", operator, null).statusCode() == 200
                && call("GET", "/registry/robots", operator, null).statusCode() == 200);
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
