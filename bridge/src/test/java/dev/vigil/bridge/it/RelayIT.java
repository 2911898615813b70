package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.protocol.PublishToken;
import dev.vigil.testkit.MediaMtx;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.StreamReader;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real MediaMTX 1.20.1 with {@code authMethod: http} asks the real bridge jar; real gst-launch
 * publishers (RTMP with {@code ?user=&pass=}, as the original script) and RTSP readers with their
 * credentials in the URL, as the phone app sends them.
 */
class RelayIT {

    private static final String MQTT_USER = "bridge";
    private static final String MQTT_PASSWORD = "mqtt-Relay-Pass-1";
    private static final String WRONG = "Wrong-Pass-77";
    private static final String PATH = "live/stream";

    private static Mosquitto broker;
    private static BridgeProcess bridge;
    private static MediaMtx relay;

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        bridge = BridgeProcess.start(TestConfigs.hocon(""), Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD));
        relay = MediaMtx.builder().httpAuth(bridge.base() + "/relay/auth")
                .apiCredentials(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (final AutoCloseable part : new AutoCloseable[] {relay, bridge, broker}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @AfterEach
    void noSecretInAnyLog() {
        final String all = String.join("\n", bridge.lines()) + "\n" + String.join("\n", relay.log());
        for (final String secret : List.of(TestConfigs.ROBOT_PASSWORD, TestConfigs.R2_PASSWORD, TestConfigs.VIEWER_PASSWORD,
                TestConfigs.OPERATOR_PASSWORD, TestConfigs.ROBOT_SECRET, MQTT_PASSWORD, WRONG)) {
            assertFalse(all.contains(secret), "a secret in the bridge's or MediaMTX's output");
        }
    }

    private static String rtmp(final String path, final String user, final String pass) {
        return relay.rtmpUrl(path) + "?user=" + user + "&pass=" + pass;
    }

    private static String relayLines() {
        return String.join("\n", bridge.lines().stream().filter(l -> l.contains("Relay") || l.contains("WARN")).toList())
                + "\nMediaMTX:\n" + String.join("\n", relay.log());
    }

    private static void awaitReady(final Gst publisher) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> relay.ready(PATH));
        } catch (final org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no publisher; gst: " + publisher.output() + "\nbridge: " + relayLines(), e);
        }
    }

    @Test
    void publish_refusedAtRelay_withWrongRobotPassword() throws Exception {
        try (Gst publisher = Gst.publish(rtmp(PATH, TestConfigs.ROBOT_USER, WRONG))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> bridge.anyLineContains("Relay: refused publish of 'live/stream'"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !relay.ready(PATH));
        }
    }

    @Test
    void publish_refusedAtRelay_onAnotherRobotsPath() throws Exception {
        try (Gst publisher = Gst.publish(rtmp("live/r2", TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> bridge.anyLineContains("Relay: refused publish of 'live/r2'"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !relay.ready("live/r2"));
        }
    }

    @Test
    void publish_streams_withPublishToken() throws Exception {
        final String token = PublishToken.issue("default",
                TestConfigs.ROBOT_SECRET.getBytes(StandardCharsets.UTF_8), Instant.now().plusSeconds(300));
        try (Gst publisher = Gst.publish(rtmp(PATH, "default", token))) {
            awaitReady(publisher);
            assertTrue(bridge.anyLineContains("(publish token)"), relayLines());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !relay.ready(PATH));
    }

    @Test
    void rtspReader_decodesFrames_overUdpAndTcp_withViewerCredentialsInUrl() throws Exception {
        try (Gst publisher = Gst.publish(rtmp(PATH, TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            awaitReady(publisher);
            final String url = relay.rtspUrl(PATH, TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
            try (StreamReader udp = StreamReader.openRtspUdp(url);
                 StreamReader tcp = StreamReader.openRtspTcp(url)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> udp.frames() > 15 && tcp.frames() > 15);
                assertEquals(320, udp.width());
                assertEquals(240, tcp.height());
                assertEquals(2, relay.readers(PATH));
            }
            assertTrue(relay.log().stream().anyMatch(l -> l.contains("is reading from path 'live/stream', with UDP")));
            assertTrue(relay.log().stream().anyMatch(l -> l.contains("is reading from path 'live/stream', with TCP")));
            assertTrue(bridge.anyLineContains("Relay: allowed read of 'live/stream' from 127.0.0.1 (viewer " + TestConfigs.VIEWER + ")"));
        }
    }

    @Test
    void rtspReader_readsNothing_withWrongPasswordNoCredentialsOrAnotherRobotsPublishCredentials() throws Exception {
        try (Gst publisher = Gst.publish(rtmp(PATH, TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            awaitReady(publisher);
            try (StreamReader wrong = StreamReader.openRtspTcp(relay.rtspUrl(PATH, TestConfigs.VIEWER, WRONG));
                 StreamReader anonymous = StreamReader.openRtspUdp(relay.rtspUrl(PATH));
                 StreamReader otherRobot = StreamReader.openRtspUdp(relay.rtspUrl(PATH, "r2", TestConfigs.R2_PASSWORD));
                 StreamReader ownPublishCredentials = StreamReader.open(
                         rtmp(PATH, TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
                await().atMost(Duration.ofSeconds(15)).until(() -> wrong.launches() >= 2 && anonymous.launches() >= 2
                        && otherRobot.launches() >= 2 && ownPublishCredentials.launches() >= 2);
                for (final StreamReader reader : List.of(wrong, anonymous, otherRobot)) {
                    assertTrue(reader.errors().stream().anyMatch(l -> l.contains("Unauthorized")), reader.errors().toString());
                }
                assertEquals(0, wrong.frames() + anonymous.frames() + otherRobot.frames() + ownPublishCredentials.frames());
                assertEquals(0, relay.readers(PATH));
            }
            assertTrue(bridge.anyLineContains("Relay: refused read of 'live/stream' from 127.0.0.1: wrong viewer credentials"));
            assertTrue(bridge.anyLineContains("Relay: refused read of 'live/stream' from 127.0.0.1: no viewer credentials"));
        }
    }

    @Test
    void relayApi_answersOperatorOnly_decidedByBridge() throws Exception {
        assertEquals(200, apiStatus(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD));
        assertEquals(401, apiStatus(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD));
        assertEquals(401, apiStatus(null, null));
        assertTrue(bridge.anyLineContains("Relay: refused api of '' from 127.0.0.1: needs an operator"));
    }

    private static int apiStatus(final String user, final String pass) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(relay.apiUrl() + "/v3/paths/list"));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
