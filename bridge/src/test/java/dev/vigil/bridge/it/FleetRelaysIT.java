package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.vigil.bridge.TestConfigs;
import dev.vigil.protocol.PublishToken;
import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.MediaMtx;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.Ports;
import dev.vigil.testkit.StreamReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Robots added at run time, each on its own relay: one bridge (embedded SQLite registry), two real
 * MediaMTX relays that name themselves on their auth address ({@code ?relay=a|b}), and two real
 * agents configured with nothing but what {@code vigil-bridge robot add} printed (plus the broker
 * and the test pattern). Nothing is restarted between adding a robot and streaming from it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetRelaysIT {

    private static final String MQTT_USER = "fleet";
    private static final String MQTT_PASSWORD = "fleet-Mqtt-Pass-7";
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> parts = new ArrayList<>();
    private Mosquitto broker;
    private MediaMtx relayA;
    private MediaMtx relayB;
    private BridgeProcess bridge;
    private final Map<String, String> keys = new java.util.HashMap<>();

    @BeforeAll
    void start() throws Exception {
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        parts.add(broker);
        final int bridgePort = Ports.free();
        relayA = relay(bridgePort, "a");
        relayB = relay(bridgePort, "b");
        bridge = BridgeProcess.start(TestConfigs.hocon("""
                vigil.bridge.relays {
                  a {
                    publish-url = "rtsp://{user}:{pass}@127.0.0.1:%d/{path}"
                    viewer-urls { rtsp = "rtsp://127.0.0.1:%d/{path}" }
                  }
                  b {
                    publish-url = "rtsp://{user}:{pass}@127.0.0.1:%d/{path}"
                    viewer-urls { rtsp = "rtsp://127.0.0.1:%d/{path}" }
                  }
                }
                vigil.bridge.database.refresh-every = 500ms
                """.formatted(relayA.rtspPort(), relayA.rtspPort(), relayB.rtspPort(), relayB.rtspPort())), Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD), bridgePort);
        parts.add(bridge);
    }

    private MediaMtx relay(final int bridgePort, final String name) {
        final MediaMtx relay = MediaMtx.builder()
                .httpAuth("http://127.0.0.1:" + bridgePort + "/relay/auth?relay=" + name)
                .apiCredentials(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD)
                .start();
        parts.add(relay);
        return relay;
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).close();
        }
    }

    /** {@code robot add} on the command line, then the real agent with what it printed. */
    private void addAndRunRobot(final String id, final String relay) throws Exception {
        final BridgeProcess.CliRun added = bridge.cli("", "robot", "add", id, "--relay", relay);
        assertEquals(0, added.exit(), added.err());
        assertTrue(added.err().contains("Robot " + id + " added"), added.err());
        final String snippet = added.out();
        keys.put(id, ConfigFactory.parseString(snippet).getString("vigil.agent.media.publish-password"));
        final Path conf = Files.createTempFile("vigil-agent-" + id, ".conf");
        Files.writeString(conf, snippet);
        final Path work = Files.createTempDirectory("vigil-agent-" + id);
        final ManagedProcess agent = ManagedProcess.start(List.of(Java.binary(), "-jar",
                        REPO.resolve("agent/target/vigil-agent.jar").toString(), "--config", conf.toString()),
                Map.of("MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                        "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD,
                        "AGENT_PIPELINE", "testsrc-rtsp", "AGENT_PIPELINES_DIR", REPO.resolve("pipelines").toString(),
                        "AGENT_PID_FILE", work.resolve("gst.pid").toString()), work);
        parts.add(agent);
        // The running bridge picks the robot up by itself and sees its agent come online.
        await().ignoreExceptions().atMost(Duration.ofSeconds(40))
                .until(() -> robot(id).get("online").asBoolean());
    }

    private JsonNode robot(final String id) throws Exception {
        final HttpResponse<String> res = bridge.send("GET", "/robots/" + id, "Bearer " + TestConfigs.VIEWER_TOKEN, null);
        assertEquals(200, res.statusCode(), res.body());
        return JSON.readTree(res.body());
    }

    @Test
    void robotsAddedAtRunTime_publishToTheirOwnRelay_andViewersAreSentThere() throws Exception {
        addAndRunRobot("rover-a", "a");
        addAndRunRobot("rover-b", "b");
        for (final String id : List.of("rover-a", "rover-b")) {
            final HttpResponse<String> started = bridge.send("POST", "/robots/" + id + "/stream/start?wait=PT30S",
                    "Bearer " + TestConfigs.OPERATOR_TOKEN, null);
            assertEquals(200, started.statusCode(), started.body());
        }
        assertEquals("rtsp://127.0.0.1:" + relayA.rtspPort() + "/live/rover-a", robot("rover-a").at("/urls/rtsp").asText());
        assertEquals("rtsp://127.0.0.1:" + relayB.rtspPort() + "/live/rover-b", robot("rover-b").at("/urls/rtsp").asText());
        await().atMost(Duration.ofSeconds(20)).until(() -> relayA.ready("live/rover-a") && relayB.ready("live/rover-b"));
        assertFalse(relayA.publishers().contains("live/rover-b"), relayA.publishers().toString());
        assertFalse(relayB.publishers().contains("live/rover-a"), relayB.publishers().toString());
        // A viewer at the URL the bridge gave decodes each robot's frames from its own relay.
        try (StreamReader a = StreamReader.openRtspTcp(relayA.rtspUrl("live/rover-a", TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD));
             StreamReader b = StreamReader.openRtspTcp(relayB.rtspUrl("live/rover-b", TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> a.frames() > 10 && b.frames() > 10);
        }
        assertTrue(bridge.anyLineContains("Relay: allowed publish of 'live/rover-a'"), "rover-a published");
        assertTrue(bridge.anyLineContains("(signed publish token)"), "agents publish with signed tokens");
        for (final String key : keys.values()) {
            assertFalse(bridge.lines().stream().anyMatch(l -> l.contains(key.substring("ed25519:".length()))),
                    "a private key in the bridge's log");
        }
    }

    @Test
    void robotsToken_isRefusedAtAnotherRelay() throws Exception {
        final BridgeProcess.CliRun added = bridge.cli("", "robot", "add", "rover-c", "--relay", "b");
        assertEquals(0, added.exit(), added.err());
        final String key = ConfigFactory.parseString(added.out()).getString("vigil.agent.media.publish-password");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                bridge.send("GET", "/robots/rover-c", "Bearer " + TestConfigs.VIEWER_TOKEN, null).statusCode() == 200);
        final String token = PublishToken.issue("rover-c", key, Instant.now().plusSeconds(300));
        final String url = relayA.rtmpUrl("live/rover-c") + "?user=rover-c&pass=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        try (Gst publisher = Gst.publish(url)) {
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    bridge.anyLineContains("Relay: refused publish of 'live/rover-c'")
                            && bridge.anyLineContains("is assigned the relay 'b', not 'a'"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !relayA.ready("live/rover-c"));
        }
    }

    @Test
    void cli_listsRemovesAndRotates_andTheRunningBridgeFollows() throws Exception {
        assertEquals(0, bridge.cli("", "robot", "add", "rover-d").exit());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                bridge.send("GET", "/robots/rover-d", "Bearer " + TestConfigs.VIEWER_TOKEN, null).statusCode() == 200);
        final BridgeProcess.CliRun list = bridge.cli("", "robot", "list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("rover-d") && l.endsWith("registry")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("default") && l.endsWith("bridge.conf")), list.out());
        assertEquals(3, bridge.cli("", "robot", "add", "rover-d").exit(), "a second add is a conflict");
        assertEquals(2, bridge.cli("", "robot", "add", "bad id").exit());
        final BridgeProcess.CliRun rotated = bridge.cli("", "robot", "rotate-secret", "rover-d");
        assertEquals(0, rotated.exit(), rotated.err());
        assertTrue(rotated.out().contains("publish-password = \"ed25519:"), rotated.out());
        final BridgeProcess.CliRun token = bridge.cli("", "token", "add", "kiosk", "--role", "viewer");
        assertEquals(0, token.exit(), token.err());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                bridge.send("GET", "/robots", "Bearer " + token.out().strip(), null).statusCode() == 200);
        assertEquals(0, bridge.cli("", "robot", "remove", "rover-d").exit());
        assertEquals(3, bridge.cli("", "robot", "remove", "rover-d").exit());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                bridge.send("GET", "/robots/rover-d", "Bearer " + TestConfigs.VIEWER_TOKEN, null).statusCode() == 404);
        assertEquals(0, bridge.cli("a-long-password\n", "user", "add", "kim", "--role", "operator").exit());
        // bridge.conf's own robots, users and tokens still load, with a line that suggests the registry.
        assertTrue(bridge.anyLineContains("bridge.conf defines 1 robot(s), 2 user(s) and 2 token(s); they keep working"),
                String.join("\n", bridge.lines()));
        assertEquals(2, bridge.cli("short\n", "user", "add", "lee", "--role", "operator").exit());
    }
}
