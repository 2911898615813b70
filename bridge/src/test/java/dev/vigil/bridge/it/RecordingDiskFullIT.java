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
import dev.vigil.testkit.StreamReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A relay disk that really fills: MediaMTX records to a 3 MiB tmpfs, the real agent streams, a first
 * clip is recorded, then a filler file takes the rest of the disk in the middle of a second recording,
 * so that MediaMTX's writes fail with ENOSPC. Watched as a user would: the bridge's HTTP answers, its
 * log, the live stream, the first clip (listed and served as a valid MP4), and recording again once the
 * filler is deleted.
 */
class RecordingDiskFullIT {

    private static final String MQTT_USER = "vigil";
    private static final String MQTT_PASSWORD = "mqtt-DiskFull-Pass-7";
    private static final String API_PASSWORD = "relay-Api-DiskFull-9";
    private static final String PATH = "live/stream";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Mosquitto broker;
    private static MediaMtx relay;
    private static Path disk;
    private static boolean mounted;
    private static BridgeProcess bridge;
    private static AgentProcess agent;

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        final int bridgePort = Ports.free();
        relay = MediaMtx.builder().httpAuth("http://127.0.0.1:" + bridgePort + "/relay/auth")
                .apiCredentials(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD)
                .recording(Duration.ofHours(1)).playback()
                .pathSetting(PATH, "source", "publisher").start();
        disk = relay.recordings();
        Files.createDirectories(disk);
        final Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m,mode=0755", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        final String why = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "a full disk needs a small tmpfs, and mounting one is not permitted here: " + why);
        bridge = BridgeProcess.start(conf(disk.toString()), env(), bridgePort);
        agent = AgentProcess.start(Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD, "MEDIA_SERVER", relay.hostAndPort(),
                "MEDIA_PUBLISH_USER", TestConfigs.ROBOT_USER, "MEDIA_PUBLISH_PASS", TestConfigs.ROBOT_PASSWORD));
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
                bridge.send("GET", "/robots/default", viewer(), null).body().contains("\"online\":true"));
    }

    /** A bridge that checks the relay's disk at {@code diskPath} (every 10 s, the default), or not at all (empty). */
    private static String conf(final String diskPath) {
        return TestConfigs.hocon("""
                vigil.bridge.views { ttl = 3s, agent-lease-margin = 2s, renew-every = 1s, linger = 1s }
                vigil.bridge.relay.api { url = "%s", user = "vigil-bridge", password = "%s" }
                vigil.bridge.recording {
                  enabled = true
                  relay-playback = "%s"
                  max-duration = 2m
                  disk-path = "%s"
                  min-free-space = 16 KiB
                  disk-check-every = 10s
                }
                """.formatted(relay.apiUrl(), API_PASSWORD, relay.playbackUrl(), diskPath));
    }

    private static Map<String, String> env() {
        return Map.of("MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        for (final AutoCloseable part : new AutoCloseable[] {agent, bridge, relay}) {
            if (part != null) {
                part.close();
            }
        }
        if (mounted) {
            new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static String operator() {
        return TestConfigs.basic(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD);
    }

    private static String viewer() {
        return TestConfigs.basic(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
    }

    private static JsonNode get(final String path) throws Exception {
        final HttpResponse<String> response = bridge.send("GET", path, viewer(), null);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static List<Path> recordedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(disk.resolve(PATH))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static long emptySegments() throws IOException {
        long empty = 0;
        for (final Path file : recordedFiles()) {
            empty += Files.size(file) == 0 ? 1 : 0;
        }
        return empty;
    }

    /** Writes a filler beside the recordings until the disk refuses more. */
    private static Path fill() throws IOException {
        final Path filler = disk.resolve("filler");
        final byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (final IOException e) {
            assertTrue(e.getMessage().contains("No space left on device"), e.toString());
        }
        return filler;
    }

    private static List<String> starts(final JsonNode clips) {
        final List<String> starts = new ArrayList<>();
        clips.forEach(clip -> starts.add(clip.path("start").asText()));
        return starts;
    }

    @Test
    void fullDisk_stopsTheRecordingWithAReason_keepsTheStreamAndEarlierClips_andRecordingWorksOnceFreed() throws Exception {
        assertEquals(200, bridge.send("POST", "/robots/default/stream/start?wait=PT30S", operator(), null).statusCode());
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.ready(PATH));

        // A first clip, recorded while there is room.
        assertEquals(201, bridge.send("POST", "/robots/default/recording?duration=PT3S", operator(), null).statusCode());
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/robots/default/recording").path("recording").isNull());
        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).until(() -> get("/robots/default/clips").path("clips").size() == 1);
        final JsonNode first = get("/robots/default/clips").path("clips").get(0);
        RecordedClip.fetchAndDiscover(bridge, first, viewer());

        try (StreamReader live = StreamReader.openRtspTcp(relay.rtspUrl(PATH, TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> live.frames() > 10);
            final HttpResponse<String> second = bridge.send("POST", "/robots/default/recording?duration=PT60S", operator(), null);
            assertEquals(201, second.statusCode(), second.body());
            Thread.sleep(1500);
            // Something else takes the rest of the disk: MediaMTX's next write fails with ENOSPC.
            final Path filler = fill();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    relay.log().stream().anyMatch(line -> line.contains("no space left on device")));

            // The bridge stops the recording (the relay's recording switched off) and says why.
            final JsonNode state = await().atMost(Duration.ofSeconds(20)).until(() -> get("/robots/default/recording"),
                    body -> body.path("recording").isNull());
            assertEquals("disk-full", state.path("stopped").path("cause").asText(), state.toString());
            assertTrue(state.path("stopped").path("reason").asText().contains("is full"), state.toString());
            assertTrue(relay.api("/v3/config/paths/get/" + PATH).orElseThrow().contains("\"record\":false"),
                    "the relay's recording of the path is switched off");

            // A bridge that does not watch the disk (the relay on another host) records on regardless: MediaMTX
            // retries its recorder every 2 s, and each try leaves an empty segment, which its own /list cannot read.
            try (BridgeProcess blind = BridgeProcess.start(conf(""), env())) {
                await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
                        blind.send("GET", "/robots/default", viewer(), null).body().contains("\"online\":true"));
                final HttpResponse<String> on = blind.send("POST", "/robots/default/recording?duration=PT60S", operator(), null);
                assertEquals(201, on.statusCode(), on.body());
                await().atMost(Duration.ofSeconds(20)).until(() -> emptySegments() >= 2);
                assertEquals(200, blind.send("DELETE", "/robots/default/recording", operator(), null).statusCode());
            }

            // Earlier clips stay listed and served; the empty segments are named, not in the way.
            final JsonNode listed = get("/robots/default/clips");
            assertTrue(starts(listed.path("clips")).contains(first.path("start").asText()), listed.toString());
            assertEquals(emptySegments(), listed.path("unreadable").size(), listed + " " + recordedFiles());
            assertTrue(listed.path("note").asText().contains("cannot be read"), listed.toString());
            RecordedClip.fetchAndDiscover(bridge, first, viewer());

            // A new recording is refused with the reason, and the live stream goes on.
            final HttpResponse<String> refused = bridge.send("POST", "/robots/default/recording?duration=PT3S", operator(), null);
            assertEquals(507, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("is full"), refused.body());
            final long frames = live.frames();
            await().atMost(Duration.ofSeconds(5)).until(() -> live.frames() > frames + 15);

            // Once there is room again, recording works again.
            Files.delete(filler);
            final HttpResponse<String> again = bridge.send("POST", "/robots/default/recording?duration=PT3S", operator(), null);
            assertEquals(201, again.statusCode(), again.body());
            final JsonNode over = await().atMost(Duration.ofSeconds(20)).until(() -> get("/robots/default/recording"),
                    body -> body.path("recording").isNull());
            assertEquals("over", over.path("stopped").path("cause").asText(), over.toString());
            await().ignoreExceptions().atMost(Duration.ofSeconds(15)).until(() ->
                    get("/robots/default/clips").path("clips").size() >= 3);
            final JsonNode clips = get("/robots/default/clips").path("clips");
            assertEquals(first.path("start").asText(), clips.get(0).path("start").asText());
            RecordedClip.fetchAndDiscover(bridge, clips.get(clips.size() - 1), viewer());
        }

        final List<String> log = bridge.lines();
        assertEquals(1, log.stream().filter(line -> line.contains("stopped early") && line.contains("is full")).count(),
                "one line names the full disk:\n" + String.join("\n", log));
        assertTrue(log.stream().noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception")),
                "no stack trace:\n" + String.join("\n", log));
        final String all = String.join("\n", log);
        assertFalse(all.contains(TestConfigs.OPERATOR_PASSWORD) || all.contains(MQTT_PASSWORD) || all.contains(API_PASSWORD),
                "a secret in the bridge's log");
    }
}
