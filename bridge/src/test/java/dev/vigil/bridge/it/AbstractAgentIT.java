package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.MediaMtx;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.StreamReader;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole chain with real parts: the bridge jar, mosquitto, the real agent jar (test-pattern
 * template) publishing RTMP into the real MediaMTX, which asks the bridge ({@code authMethod: http})
 * and runs the on-demand hook, and gst-launch RTSP readers. The agent gets only the original
 * script's environment variables; what the script had no variable for (the template, the robot id,
 * the PID file) is in an operator's file given with {@code --config}.
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractAgentIT {

    static final String MQTT_USER = "vigil";
    static final String MQTT_PASSWORD = "mqtt-Agent-Pass-2";
    private static final String API_PASSWORD = "relay-Api-Pass-4";

    Mosquitto broker;
    BridgeProcess bridge;
    static final String PATH = "live/stream";

    MediaMtx relay;
    private AgentProcess agent;

    @BeforeAll
    void start() throws Exception {
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        final int port = dev.vigil.testkit.Ports.free();
        final String base = "http://127.0.0.1:" + port;
        final Path hookToken = Files.createTempFile("vigil-hook", ".token");
        Files.writeString(hookToken, TestConfigs.VIEWER_TOKEN + "\n");
        relay = MediaMtx.builder().httpAuth(base + "/relay/auth")
                .apiCredentials("vigil-bridge", API_PASSWORD)
                .onDemand(PATH, "sh " + Path.of("hooks", "vigil-on-demand").toAbsolutePath(),
                        Duration.ofSeconds(20), Duration.ofSeconds(1))
                // MediaMTX tells the bridge when the path has a stream, so ?wait answers at that moment.
                .onAvailable(PATH, "curl -fsS -X POST -d path=$MTX_PATH " + base + "/relay/available")
                .onUnavailable(PATH, "curl -fsS -X POST -d path=$MTX_PATH " + base + "/relay/unavailable")
                .env("VIGIL_BRIDGE_URL", base)
                .env("VIGIL_BRIDGE_TOKEN_FILE", hookToken.toString())
                .env("VIGIL_RENEW_EVERY", "1")
                .start();
        bridge = BridgeProcess.start(TestConfigs.hocon("""
                vigil.bridge.views { ttl = 3s, agent-lease-margin = 2s, renew-every = 1s, linger = 2s }
                vigil.bridge.relay.reports-availability = true
                vigil.bridge.relay.api { url = "%s", user = "vigil-bridge", password = "%s" }
                """.formatted(relay.apiUrl(), API_PASSWORD)), Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD), port);
        final Map<String, String> env = new HashMap<>(Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD, "MEDIA_SERVER", relay.hostAndPort()));
        env.putAll(publishCredentials());
        agent = AgentProcess.start(env);
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
                get("/robots/default").body().contains("\"online\":true"));
    }

    /** The agent's MEDIA_* publish settings. */
    abstract Map<String, String> publishCredentials();

    /** How the bridge should say it allowed the agent's publish. */
    abstract String publishReason();

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        for (final AutoCloseable part : new AutoCloseable[] {relay, bridge, broker}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @AfterEach
    void idle() throws Exception {
        bridge.send("POST", "/robots/default/stream/stop", operator(), null);
        bridge.send("POST", "/robots/default/camera/enable", operator(), null);
        // No view, hook or linger of this test may stop or start the robot under the next one.
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !relay.ready(PATH)
                && get("/robots/default").body().contains("\"views\":0"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !relay.ready(PATH));
    }

    static String operator() {
        return TestConfigs.basic(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD);
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return bridge.send("GET", path, "Bearer " + TestConfigs.VIEWER_TOKEN, null);
    }

    String playerUrl() {
        return relay.rtspUrl(PATH, TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
    }

    @Test
    void httpStart_streamsFramesToReader_andStopRemovesPublisher() throws Exception {
        final HttpResponse<String> started = bridge.send("POST", "/robots/default/stream/start?wait=PT30S", operator(), null);
        assertEquals(200, started.statusCode(), started.body());
        // The answer came when the relay had the stream: a player can open it at once.
        assertTrue(started.body().contains("\"relayAvailable\":true"), started.body());
        assertTrue(relay.ready(PATH), "MediaMTX has the path ready when ?wait answers");
        assertTrue(bridge.lines().stream().anyMatch(l -> l.contains("Relay: allowed publish of 'live/stream'")
                && l.endsWith("(" + publishReason() + ")")), "publish allowed by " + publishReason());
        assertTrue(relay.log().stream().anyMatch(l -> l.contains("[RTMP]") && l.contains("is publishing to path 'live/stream'")),
                "the agent publishes RTMP");
        try (StreamReader udp = StreamReader.openRtspUdp(playerUrl());
             StreamReader tcp = StreamReader.openRtspTcp(playerUrl())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> udp.frames() > 10 && tcp.frames() > 10);
        }
        final String output = String.join("\n", bridge.lines()) + "\n" + String.join("\n", relay.log());
        for (final String secret : new String[] {TestConfigs.ROBOT_PASSWORD, TestConfigs.ROBOT_SECRET, MQTT_PASSWORD,
                TestConfigs.VIEWER_PASSWORD, TestConfigs.OPERATOR_PASSWORD}) {
            assertFalse(output.contains(secret), "a secret in the bridge's or MediaMTX's output");
        }
        assertEquals(202, bridge.send("POST", "/robots/default/stream/stop", operator(), null).statusCode());
        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).until(() -> !relay.ready(PATH));
    }

    /**
     * Weakness 6 with the real agent and relay: an operator's stop under an open view and a playing
     * player holds. The view is revoked, the player disconnected, and neither it (it keeps coming back)
     * nor a new view starts the robot again, well past the 9 s after which it streamed again before;
     * only an operator's start does.
     */
    @Test
    void operatorStop_holds_againstOpenViewAndReturningPlayer() throws Exception {
        final HttpResponse<String> opened = bridge.send("POST", "/robots/default/views", "Bearer " + TestConfigs.VIEWER_TOKEN, null);
        assertEquals(201, opened.statusCode(), opened.body());
        final String lease = opened.body().replaceAll(".*\"lease\":\"([^\"]+)\".*", "$1");
        // Over TCP: the relay's disconnect ends the player, which launches again at once, as a player app retries.
        try (StreamReader player = StreamReader.openRtspTcp(playerUrl())) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> relay.ready(PATH) && player.frames() > 10);
            assertEquals(202, bridge.send("POST", "/robots/default/stream/stop", operator(), null).statusCode());
            await("the robot stops, its player is disconnected").ignoreExceptions().atMost(Duration.ofSeconds(15))
                    .until(() -> !relay.ready(PATH) && get("/robots/default").body().contains("\"state\":\"idle\""));
            await("the robot confirms the hold").ignoreExceptions().atMost(Duration.ofSeconds(10))
                    .until(() -> get("/robots/default").body().contains("\"holdConfirmed\":true"));
            assertEquals(404, bridge.send("PUT", "/robots/default/views/" + lease, "Bearer " + TestConfigs.VIEWER_TOKEN, null)
                    .statusCode(), "the view lives on");
            assertEquals(409, bridge.send("POST", "/robots/default/views", "Bearer " + TestConfigs.VIEWER_TOKEN, null).statusCode());
            final long frames = player.frames();
            await("nothing starts the robot again").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(14))
                    .until(() -> !relay.ready(PATH) && player.frames() == frames);
            assertTrue(player.launches() >= 2, "the player did not come back");
            assertTrue(bridge.anyLineContains("Relay: refused read of 'live/stream' from 127.0.0.1: robot default is held"));
        }
        final HttpResponse<String> started = bridge.send("POST", "/robots/default/stream/start?wait=PT30S", operator(), null);
        assertEquals(200, started.statusCode(), "an operator's start does not lift the stop: " + started.body());
        assertTrue(started.body().contains("\"hold\":\"none\""), started.body());
    }

    /** The views' linger ends the views' lease only: an operator's own start keeps the robot streaming. */
    @Test
    void viewerLeaving_afterAnOperatorsStart_leavesTheStreamOn() throws Exception {
        assertEquals(200, bridge.send("POST", "/robots/default/stream/start?wait=PT30S", operator(), null).statusCode());
        final HttpResponse<String> opened = bridge.send("POST", "/robots/default/views", "Bearer " + TestConfigs.VIEWER_TOKEN, null);
        assertEquals(201, opened.statusCode(), opened.body());
        final String lease = opened.body().replaceAll(".*\"lease\":\"([^\"]+)\".*", "$1");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10))
                .until(() -> get("/robots/default").body().contains("\"leases\":[\"manual\",\"views\"]"));
        assertEquals(204, bridge.send("DELETE", "/robots/default/views/" + lease, "Bearer " + TestConfigs.VIEWER_TOKEN, null)
                .statusCode());
        await("the views let go after the linger").ignoreExceptions().atMost(Duration.ofSeconds(10))
                .until(() -> get("/robots/default").body().contains("\"leases\":[\"manual\"]"));
        await("the operator's stream goes on").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> relay.ready(PATH) && get("/robots/default").body().contains("\"state\":\"streaming\""));
    }

    @Test
    void viewLeaseNotRenewed_stopsRobot() throws Exception {
        final HttpResponse<String> opened = bridge.send("POST", "/robots/default/views", "Bearer " + TestConfigs.VIEWER_TOKEN, null);
        assertEquals(201, opened.statusCode(), opened.body());
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> relay.ready(PATH));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !relay.ready(PATH));
        assertTrue(get("/robots/default").body().contains("\"views\":0"));
    }

    @Test
    void playerAttaching_startsRobotThroughOnDemandHook_andLeavingStopsItAfterLinger() throws Exception {
        try (StreamReader reader = StreamReader.openRtspUdp(playerUrl())) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> relay.ready(PATH));
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> reader.frames() > 10);
            } catch (final org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no frames; reader launched " + reader.launches() + " times, errors "
                        + reader.errors(), e);
            }
        }
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !relay.ready(PATH));
    }
}
