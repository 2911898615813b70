package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.MediaMtx;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.Ports;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recording on request with real parts: the bridge jar switches the real MediaMTX's recording of
 * the robot's path on and off through its control API, the real agent jar streams the test pattern
 * while the recording's lease holds, the clip is listed and served (MP4) through the bridge from
 * MediaMTX's playback server, {@code gst-discoverer-1.0} reads it, and MediaMTX's retention deletes it.
 */
class RecordingIT {

    private static final String MQTT_USER = "vigil";
    private static final String MQTT_PASSWORD = "mqtt-Record-Pass-3";
    private static final String API_PASSWORD = "relay-Api-Record-5";
    private static final String PATH = "live/stream";
    private static final Duration RETENTION = Duration.ofSeconds(12);
    private static final Pattern DURATION = Pattern.compile("Duration: (\\d+):(\\d+):(\\d+\\.\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Mosquitto broker;
    private static MediaMtx relay;
    private static BridgeProcess bridge;
    private static AgentProcess agent;

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        final int bridgePort = Ports.free();
        relay = MediaMtx.builder().httpAuth("http://127.0.0.1:" + bridgePort + "/relay/auth")
                .apiCredentials(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD)
                .recording(RETENTION).playback()
                // A path of its own, as the deployment configures each robot's: recording is switched on it without a reload.
                .pathSetting(PATH, "source", "publisher").start();
        bridge = BridgeProcess.start(TestConfigs.hocon(recording(relay.recordings().getParent().toString(), "1 MiB")),
                env(), bridgePort);
        agent = AgentProcess.start(Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD, "MEDIA_SERVER", relay.hostAndPort(),
                "MEDIA_PUBLISH_USER", TestConfigs.ROBOT_USER, "MEDIA_PUBLISH_PASS", TestConfigs.ROBOT_PASSWORD));
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
                bridge.send("GET", "/robots/default", viewer(), null).body().contains("\"online\":true"));
    }

    private static String recording(final String diskPath, final String minFree) {
        return """
                vigil.bridge.views { ttl = 3s, agent-lease-margin = 2s, renew-every = 1s, linger = 1s }
                vigil.bridge.relay.api { url = "%s", user = "vigil-bridge", password = "%s" }
                vigil.bridge.recording {
                  enabled = true
                  relay-playback = "%s"
                  max-duration = 2m
                  disk-path = "%s"
                  min-free-space = %s
                  disk-check-every = 1s
                }
                """.formatted(relay.apiUrl(), API_PASSWORD, relay.playbackUrl(), diskPath, minFree);
    }

    private static Map<String, String> env() {
        return Map.of("MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        for (final AutoCloseable part : new AutoCloseable[] {agent, bridge, relay, broker}) {
            if (part != null) {
                part.close();
            }
        }
    }

    private static String operator() {
        return TestConfigs.basic(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD);
    }

    private static String viewer() {
        return TestConfigs.basic(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
    }

    private static List<Path> recordedFiles() throws IOException {
        if (!Files.isDirectory(relay.recordings())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(relay.recordings())) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static JsonNode clips(final String auth) throws Exception {
        final HttpResponse<String> listed = bridge.send("GET", "/robots/default/clips", auth, null);
        assertEquals(200, listed.statusCode(), listed.body());
        return JSON.readTree(listed.body()).path("clips");
    }

    /** The length that gst-discoverer-1.0 reports of {@code clip}, fetched through the bridge as a viewer. */
    private static double discoveredSeconds(final JsonNode clip) throws Exception {
        final String out = RecordedClip.fetchAndDiscover(bridge, clip, viewer());
        final Matcher duration = DURATION.matcher(out);
        assertTrue(duration.find(), out);
        return Integer.parseInt(duration.group(1)) * 3600 + Integer.parseInt(duration.group(2)) * 60
                + Double.parseDouble(duration.group(3));
    }

    @Test
    void record_fiveSeconds_isListedServedAsValidMp4_andRetentionRemovesIt() throws Exception {
        final HttpResponse<String> streaming = bridge.send("POST", "/robots/default/stream/start?wait=PT30S", operator(), null);
        assertEquals(200, streaming.statusCode(), streaming.body());
        // MediaMTX drops a publisher that is still connecting when its configuration reloads (as switching
        // recording does): record once the relay has the stream.
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.ready(PATH));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> recordedFiles().isEmpty());
        assertEquals(0, clips(viewer()).size(), "nothing is recorded unless asked");

        assertEquals(403, bridge.send("POST", "/robots/default/recording?duration=PT5S", viewer(), null).statusCode(),
                "a viewer may not record");
        final HttpResponse<String> recording = bridge.send("POST", "/robots/default/recording?duration=PT5S", operator(), null);
        assertEquals(201, recording.statusCode(), recording.body());
        assertEquals(TestConfigs.OPERATOR, JSON.readTree(recording.body()).path("recording").path("by").asText());
        assertTrue(bridge.send("GET", "/robots/default/recording", viewer(), null).body().contains("\"until\""));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                bridge.send("GET", "/robots/default/recording", viewer(), null).body().contains("\"recording\":null"));
        // An operator's stop holds the robot; putting it back to on demand lifts that.
        assertEquals(202, bridge.send("POST", "/robots/default/stream/stop", operator(), null).statusCode());
        assertEquals(202, bridge.send("POST", "/robots/default/camera/enable", operator(), null).statusCode());

        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).until(() -> clips(viewer()).size() == 1);
        final JsonNode clip = clips(viewer()).get(0);
        final double listed = clip.path("duration").asDouble();
        assertTrue(listed > 3.5 && listed < 6.5, "listed duration " + listed + " s for a 5 s recording");

        final double played = discoveredSeconds(clip);
        assertEquals(listed, played, 0.5, "the MP4 lasts as long as the clip listed");

        // MediaMTX's retention (recordDeleteAfter) deletes the segment; the clip list empties.
        await().atMost(RETENTION.multipliedBy(4)).until(() -> recordedFiles().isEmpty());
        assertEquals(0, clips(viewer()).size());
        final String all = String.join("\n", bridge.lines());
        assertFalse(all.contains(TestConfigs.OPERATOR_PASSWORD) || all.contains(MQTT_PASSWORD) || all.contains(API_PASSWORD),
                "a secret in the bridge's log");
    }

    @Test
    void recording_isRefused_forUnknownOrOfflineRobot_withAClearDetail() throws Exception {
        final HttpResponse<String> unknown = bridge.send("POST", "/robots/nobody/recording?duration=PT5S", operator(), null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("unknown robot 'nobody'"), unknown.body());
        final HttpResponse<String> offline = bridge.send("POST", "/robots/r2/recording?duration=PT5S", operator(), null);
        assertEquals(409, offline.statusCode());
        assertTrue(offline.body().contains("robot r2 is unknown: it cannot stream"), offline.body());
        assertEquals(400, bridge.send("POST", "/robots/default/recording?duration=PT1H", operator(), null).statusCode());
        assertEquals(400, bridge.send("POST", "/robots/default/recording?duration=soon", operator(), null).statusCode());
        assertEquals(404, bridge.send("DELETE", "/robots/default/recording", operator(), null).statusCode());
        assertEquals(400, bridge.send("GET", "/robots/default/clip.mp4?start=yesterday&duration=5", viewer(), null).statusCode());
    }

    @Test
    void recording_isRefused_whenTheRelaysDiskIsNearlyFull_andTheStreamGoesOn() throws Exception {
        try (BridgeProcess tight = BridgeProcess.start(TestConfigs.hocon(recording(relay.recordings().getParent().toString(),
                "1024 PiB")), env())) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
                    tight.send("GET", "/robots/default", viewer(), null).body().contains("\"online\":true"));
            final HttpResponse<String> full = tight.send("POST", "/robots/default/recording?duration=PT5S", operator(), null);
            assertEquals(507, full.statusCode(), full.body());
            assertTrue(full.body().contains("free, less than the"), full.body());
            assertTrue(tight.send("GET", "/robots/default/recording", viewer(), null).body().contains("\"recording\":null"));
        }
    }
}
