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
    private static final String API_PASSWORD = "relay-Api-Pass-12";
    /** An operator whose password the throttle test guesses (the others keep working meanwhile). */
    private static final String GUESSED = "olga";
    private static final String GUESSED_PASSWORD = "olga-Pw-Secret-13";

    private static Mosquitto broker;
    private static BridgeProcess bridge;
    private static MediaMtx relay;

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        final int port = dev.vigil.testkit.Ports.free();
        // The relay asks the bridge about its own API too: the tests use the bridge's relay-API credential.
        relay = MediaMtx.builder().httpAuth("http://127.0.0.1:" + port + "/relay/auth")
                .apiCredentials("vigil-bridge", API_PASSWORD).start();
        bridge = BridgeProcess.start(TestConfigs.hocon("""
                vigil.bridge.relay.api { url = "%s", user = "vigil-bridge", password = "%s" }
                vigil.bridge.auth.users.%s { password-hash = "%s", role = operator }
                # The default throttle, with a back-off of a guessed account that outlasts the test's steps.
                vigil.bridge.auth.throttle { account-free-failures = 5, address-free-failures = 20, account-initial-delay = 60s }
                """.formatted(relay.apiUrl(), API_PASSWORD, GUESSED,
                dev.vigil.bridge.auth.SecretHash.pbkdf2(GUESSED_PASSWORD.toCharArray(), 1000))), Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD), port);
        await().ignoreExceptions().atMost(Duration.ofSeconds(30))
                .until(() -> bridge.send("GET", "/robots/default", operator(), null).body().contains("\"id\""));
    }

    private static String operator() {
        return "Basic " + Base64.getEncoder().encodeToString((TestConfigs.OPERATOR + ":" + TestConfigs.OPERATOR_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** An operator's start: the robot is meant to stream, so the relay admits its publish. */
    private static void meantToStream() throws Exception {
        final HttpResponse<String> started = bridge.send("POST", "/robots/default/stream/start", operator(), null);
        assertEquals(202, started.statusCode(), started.body());
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
    void noSecretInAnyLog() throws Exception {
        // Each test ends with an operator's stop, then the camera on again: the next starts from idle.
        bridge.send("POST", "/robots/default/stream/stop", operator(), null);
        bridge.send("POST", "/robots/default/camera/enable", operator(), null);
        final String all = String.join("\n", bridge.lines()) + "\n" + String.join("\n", relay.log());
        for (final String secret : List.of(TestConfigs.ROBOT_PASSWORD, TestConfigs.R2_PASSWORD, TestConfigs.VIEWER_PASSWORD,
                TestConfigs.OPERATOR_PASSWORD, TestConfigs.ROBOT_SECRET, MQTT_PASSWORD, WRONG, API_PASSWORD, GUESSED_PASSWORD)) {
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
        meantToStream();
        try (Gst publisher = Gst.publish(rtmp("live/r2", TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> bridge.anyLineContains("Relay: refused publish of 'live/r2'"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !relay.ready("live/r2"));
        }
    }

    @Test
    void publish_streams_withPublishToken() throws Exception {
        meantToStream();
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
        meantToStream();
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
        meantToStream();
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

    /** Weakness 7: the robot's right password publishes only while it is meant to stream, and a refusal names the robot. */
    @Test
    void publish_refused_whileRobotIsNotMeantToStream() throws Exception {
        try (Gst publisher = Gst.publish(rtmp(PATH, TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> bridge.anyLineContains(
                    "Relay: refused publish of 'live/stream' from 127.0.0.1: robot default is not meant to stream now"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !relay.ready(PATH));
        }
        meantToStream();
        try (Gst publisher = Gst.publish(rtmp(PATH, TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            awaitReady(publisher);
        }
    }

    /** Weakness 2: RTMP reads guessing an operator's password back the account off, for the relay and for HTTP. */
    @Test
    void rtmpReadGuesses_backOffTheAccount_atTheRelayAndOverHttp() throws Exception {
        meantToStream();
        try (Gst publisher = Gst.publish(rtmp(PATH, TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            awaitReady(publisher);
            try (StreamReader guessing = StreamReader.open(rtmp(PATH, GUESSED, "guess-" + WRONG))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> bridge.anyLineContains(
                        "Relay: refused read of 'live/stream' from 127.0.0.1: too many failed attempts for '" + GUESSED + "'"));
                assertEquals(0, guessing.frames());
            }
            final String guessedBasic = "Basic " + Base64.getEncoder().encodeToString((GUESSED + ":" + GUESSED_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            final HttpResponse<String> http = bridge.send("GET", "/robots", guessedBasic, null);
            assertEquals(429, http.statusCode(), "HTTP checks the right password of an account the relay saw guessed");
            final long refusedBefore = bridge.lines().stream().filter(l -> l.contains("not checked")).count();
            try (StreamReader right = StreamReader.openRtspTcp(relay.rtspUrl(PATH, GUESSED, GUESSED_PASSWORD))) {
                await().atMost(Duration.ofSeconds(15)).until(() ->
                        bridge.lines().stream().filter(l -> l.contains("not checked")).count() > refusedBefore);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> right.frames() == 0);
            }
            assertTrue(relay.readers(PATH) == 0);
        }
    }

    /** Weakness 6 at the relay: an operator's stop disconnects the robot's readers and publisher through MediaMTX's API. */
    @Test
    void operatorStop_disconnectsReadersAndPublisher_throughTheRelaysApi() throws Exception {
        meantToStream();
        try (Gst publisher = Gst.publish(rtmp(PATH, TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            awaitReady(publisher);
            try (StreamReader reader = StreamReader.openRtspTcp(relay.rtspUrl(PATH, TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> reader.frames() > 10);
                assertEquals(202, bridge.send("POST", "/robots/default/stream/stop", operator(), null).statusCode());
                await().atMost(Duration.ofSeconds(10)).until(() -> !relay.ready(PATH) && relay.readers(PATH) == 0);
                assertTrue(bridge.anyLineContains("Relay: disconnected "), relayLines());
                assertTrue(bridge.anyLineContains("Relay: allowed api of '' from 127.0.0.1 (the bridge's relay-API credential)"),
                        relayLines());
                final long frames = reader.frames();
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> reader.frames() == frames
                        && !relay.ready(PATH));
                assertTrue(bridge.anyLineContains("Relay: refused read of 'live/stream' from 127.0.0.1: robot default is held"),
                        "the reader's return is not refused: " + relayLines());
            }
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
