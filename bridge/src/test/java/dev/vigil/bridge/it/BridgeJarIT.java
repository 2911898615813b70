package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.CommandParser;
import dev.vigil.protocol.Desired;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real jar against a real mosquitto with password auth. A scripted robot (an MQTT client in
 * this test) answers start commands with a retained {@code streaming} state, as the agent does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeJarIT {

    private static final String MQTT_USER = "bridge";
    private static final String MQTT_PASSWORD = "mqtt-Pass-w0rd-xyz";

    private static Mosquitto broker;
    private static BridgeProcess bridge;
    private static Mqtt5BlockingClient robot;
    private static final List<Mqtt5Publish> COMMANDS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        robot = Mqtt5Client.builder().identifier("scripted-robot").serverHost("127.0.0.1").serverPort(broker.port())
                .automaticReconnectWithDefaultConfig()
                .simpleAuth().username(MQTT_USER).password(MQTT_PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        robot.connect();
        robot.toAsync().publishes(MqttGlobalPublishFilter.ALL, BridgeJarIT::onCommand);
        robot.subscribeWith().topicFilter("robot/stream").qos(MqttQos.AT_LEAST_ONCE).send();
        bridge = BridgeProcess.start(TestConfigs.hocon(""), Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD));
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> get("/observe/health/ready", null).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        if (robot != null && robot.getState().isConnected()) {
            robot.disconnect();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static void onCommand(final Mqtt5Publish publish) {
        COMMANDS.add(publish);
        try {
            final Command command = CommandParser.parse(publish.getPayloadAsBytes());
            if (command.kind() == Command.Kind.START && command.requestId() != null) {
                final StateMessage state = new StateMessage(StreamState.STREAMING, Desired.STREAMING, Instant.now(), 0,
                        "testsrc", null, command.requestId(), null);
                robot.toAsync().publishWith().topic("robot/stream/state").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(state.toJson()).send();
            }
        } catch (final Exception e) {
            COMMANDS.add(publish);
        }
    }

    private static String operator() {
        return "Basic " + Base64.getEncoder().encodeToString((TestConfigs.OPERATOR + ":" + TestConfigs.OPERATOR_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(final String path, final String auth) throws Exception {
        return bridge.send("GET", path, auth, null);
    }

    @Test
    @Order(1)
    void originalApi_publishesQos1StartWithExpiry_overRealBroker() throws Exception {
        assertEquals("{\"msg\":\"Media bridge service running!\"}", get("/", null).body());
        final HttpResponse<String> started = bridge.send("POST", "/stream/start", operator(), null);
        assertEquals(200, started.statusCode());
        assertEquals("{\"msg\":\"Published start\"}", started.body());
        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).until(() -> COMMANDS.stream().anyMatch(p -> "start".equals(text(p))));
        final Mqtt5Publish start = COMMANDS.stream().filter(p -> "start".equals(text(p))).findFirst().orElseThrow();
        assertEquals(MqttQos.AT_LEAST_ONCE, start.getQos());
        assertEquals(30L, start.getMessageExpiryInterval().orElse(-1));
        assertEquals("{\"msg\":\"Published stop\"}", bridge.send("POST", "/stream/stop", operator(), null).body());
    }

    @Test
    @Order(2)
    void startWait_answersStreamingWithUrls_whenRobotReportsIt() throws Exception {
        final HttpResponse<String> reply = bridge.send("POST", "/robots/default/stream/start?wait=PT10S", operator(), null);
        assertEquals(200, reply.statusCode(), reply.body());
        assertTrue(reply.body().contains("\"state\":\"streaming\""), reply.body());
        assertTrue(reply.body().contains("\"rtmp\":\"rtmp://relay.test/live/stream\""), reply.body());
        final HttpResponse<String> robotJson = get("/robots/default", "Bearer " + TestConfigs.VIEWER_TOKEN);
        assertTrue(robotJson.body().contains("\"pipeline\":\"testsrc\""), robotJson.body());
    }

    @Test
    @Order(3)
    void events_streamRobotAndItsChanges() throws Exception {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(bridge.base() + "/robots/events"))
                .header("Authorization", "Bearer " + TestConfigs.VIEWER_TOKEN).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            final HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                assertTrue(readUntil(in, "\"id\":\"default\"").startsWith("data:"));
                robot.publishWith().topic("robot/stream/availability").retain(true).payload("online".getBytes(StandardCharsets.UTF_8))
                        .qos(MqttQos.AT_LEAST_ONCE).send();
                assertTrue(readUntil(in, "\"availability\":\"online\"").contains("\"online\":true"));
            }
        }
    }

    private static String readUntil(final BufferedReader in, final String text) throws Exception {
        final Instant deadline = Instant.now().plusSeconds(10);
        String line;
        while ((line = in.readLine()) != null && Instant.now().isBefore(deadline)) {
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no event line with " + text);
    }

    @Test
    @Order(4)
    void malformedRequests_get4xxNever5xx_andServiceStaysUp() throws Exception {
        assertEquals(400, bridge.send("POST", "/relay/auth", null, "{\"action\":").statusCode());
        assertEquals(400, bridge.send("POST", "/relay/auth", null, "").statusCode());
        assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLineForTenMegabytes());
        assertEquals(404, get("/robots/ghost", "Bearer " + TestConfigs.VIEWER_TOKEN).statusCode());
        assertEquals(405, bridge.send("PUT", "/stream/start", operator(), "").statusCode());
        assertEquals(401, bridge.send("POST", "/stream/start", "Bearer ", null).statusCode());
        assertEquals(401, bridge.send("POST", "/stream/start", "Basic " + "A".repeat(6000), null).statusCode());
        assertEquals(400, bridge.send("POST", "/robots/default/stream/start?wait=PT-5S", operator(), null).statusCode());
        assertEquals(200, get("/", null).statusCode());
        assertTrue(bridge.isAlive());
        assertTrue(bridge.lines().stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
                "a stack trace in the bridge's output");
    }

    /** Announces a 10 MB body and reads the answer before sending it (the server refuses without reading). */
    private static String statusLineForTenMegabytes() throws Exception {
        final java.net.URI base = URI.create(bridge.base());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("POST /relay/auth HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + 10 * 1024 * 1024 + "\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    @Order(5)
    void brokerDown_503AfterWaitingPublishTimeoutForReconnect_thenRecovers() throws Exception {
        broker.stop();
        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).until(() -> get("/observe/health/ready", null).statusCode() == 503);
        final HttpRequest request = HttpRequest.newBuilder(URI.create(bridge.base() + "/stream/start"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", operator())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            final long sent = System.nanoTime();
            final HttpResponse<String> reply = client.send(request, HttpResponse.BodyHandlers.ofString());
            final Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assertEquals(503, reply.statusCode());
            // It waited for the reconnect (publish-timeout = 1s in the test config) instead of failing at once.
            assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0, "answered after " + took);
            assertTrue(reply.headers().firstValue("Retry-After").isPresent());
            assertTrue(reply.body().startsWith("{\"detail\":\"Failed to publish MQTT message: "), reply.body());
        }
        broker.restart();
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> bridge.send("POST", "/stream/start", operator(), null).statusCode() == 200);
        assertEquals(200, get("/observe/health/ready", null).statusCode());
    }

    @Test
    @Order(6)
    void relayAuth_refusesWrongRobotPassword_withoutLoggingIt() throws Exception {
        final String wrong = "{\"action\":\"publish\",\"path\":\"live/stream\",\"user\":\"%s\",\"password\":\"Wr0ng-Robot-Pass\"}"
                .formatted(TestConfigs.ROBOT_USER);
        assertEquals(401, bridge.send("POST", "/relay/auth", null, wrong).statusCode());
        final String right = wrong.replace("Wr0ng-Robot-Pass", TestConfigs.ROBOT_PASSWORD);
        assertEquals(204, bridge.send("POST", "/relay/auth", null, right).statusCode());
    }

    /** Weakness 5: the access log prints a view's id, which reads nothing; its key never reaches the output. */
    @Test
    @Order(7)
    void viewKey_neverInOutput_andTheLoggedLeaseIdIsNoCredential() throws Exception {
        final HttpResponse<String> opened = bridge.send("POST", "/robots/default/views", "Bearer " + TestConfigs.VIEWER_TOKEN, null);
        assertEquals(201, opened.statusCode(), opened.body());
        final String lease = opened.body().replaceAll(".*\"lease\":\"([^\"]+)\".*", "$1");
        final String key = opened.body().replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
        assertEquals(200, bridge.send("PUT", "/robots/default/views/" + lease, "Bearer " + TestConfigs.VIEWER_TOKEN, null).statusCode());
        final String read = "{\"action\":\"read\",\"path\":\"live/stream\",\"user\":\"lease\",\"password\":\"%s\"}";
        assertEquals(204, bridge.send("POST", "/relay/auth", null, read.formatted(key)).statusCode());
        assertEquals(401, bridge.send("POST", "/relay/auth", null, read.formatted(lease)).statusCode(),
                "the lease id, which the access log shows, reads the stream");
        assertEquals(204, bridge.send("DELETE", "/robots/default/views/" + lease, "Bearer " + TestConfigs.VIEWER_TOKEN, null)
                .statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> bridge.anyLineContains("/robots/default/views/" + lease));
        assertFalse(String.join("\n", bridge.lines()).contains(key), "a view's key in the bridge's output");
    }

    /** Papercut: every GET route the README's API table names exists on the real jar (no 404). */
    @Test
    @Order(8)
    void readme_namesOnlyRoutesThatExist() throws Exception {
        final String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        final String table = readme.substring(readme.indexOf("| route | role | answer |"), readme.indexOf("### Who gets what"));
        final java.util.regex.Matcher get = java.util.regex.Pattern.compile("`GET (/[^`\\s\\[]*)`").matcher(table);
        final java.util.regex.Matcher more = java.util.regex.Pattern.compile(", `(/observe/[^`]*)`").matcher(table);
        final List<String> paths = new java.util.ArrayList<>();
        while (get.find()) {
            paths.add(get.group(1).replace("{id}", "default"));
        }
        while (more.find()) {
            paths.add(more.group(1));
        }
        assertTrue(paths.contains("/observe/health/ready") && paths.size() >= 8, "the table names " + paths);
        for (final String path : paths) {
            if (path.equals("/robots/events")) {
                continue; // a stream that never ends; its status is in AuthorizationMatrixIT
            }
            if (path.endsWith("/snapshot.jpg") || path.endsWith("/recording") || path.endsWith("/clips")
                    || path.contains("/clip.mp4")) {
                continue; // they need a robot's picture or a relay that records: AuthorizationMatrixIT and RecordingIT
            }
            final int status = bridge.send("GET", path, operator(), null).statusCode();
            assertTrue(status != 404 && status < 500, "the README names GET " + path + ", which answers " + status);
        }
    }

    @Test
    @Order(99)
    void output_holdsNoSecret() {
        await().ignoreExceptions().atMost(Duration.ofSeconds(2)).until(() -> bridge.anyLineContains("Relay: allowed publish"));
        final String output = String.join("\n", bridge.lines());
        for (final String secret : List.of(MQTT_PASSWORD, TestConfigs.OPERATOR_PASSWORD, TestConfigs.ROBOT_PASSWORD,
                "Wr0ng-Robot-Pass", TestConfigs.VIEWER_TOKEN, TestConfigs.ROBOT_SECRET)) {
            assertFalse(output.contains(secret), "secret found in the bridge's output");
        }
        assertTrue(output.contains("Relay: refused publish"), "the refusal is logged");
    }

    private static String text(final Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
