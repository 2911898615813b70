package dev.vigil.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealServersIT {

    private static final String USER = "probe";
    private static final String PASSWORD = "s3cret-probe-pw";

    @Test
    void mosquitto_refusesWrongPassword_andAcceptsRightOne() {
        try (Mosquitto broker = Mosquitto.start(Map.of(USER, PASSWORD))) {
            assertThrows(RuntimeException.class, () -> MqttProbe.connect(broker.host(), broker.port(), USER, "wrong").close());
            try (MqttProbe probe = MqttProbe.connect(broker.host(), broker.port(), USER, PASSWORD)) {
                probe.subscribe("t/#");
                probe.publish("t/x", "hello");
                await().atMost(Duration.ofSeconds(5)).until(() -> probe.latest("t/x").orElse(""), "hello"::equals);
            }
        }
    }

    @Test
    void mosquitto_keepsPort_acrossStopAndRestart() {
        try (Mosquitto broker = Mosquitto.start(Map.of(USER, PASSWORD))) {
            final int port = broker.port();
            broker.stop();
            assertFalse(broker.isRunning());
            assertFalse(Ports.isOpen(port));
            broker.restart();
            assertEquals(port, broker.port());
            try (MqttProbe probe = MqttProbe.connect(broker.host(), port, USER, PASSWORD)) {
                probe.publish("t/y", "again");
            }
        }
    }

    @Test
    void mediamtx_carriesVideo_fromRtmpPublisherToRtmpRtspAndHlsReaders() {
        try (MediaMtx relay = MediaMtx.start();
             ManagedProcess publisher = publish(relay.rtmpUrl("live/cam"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> relay.ready("live/cam"));
            assertEquals(java.util.Set.of("live/cam"), relay.publishers());
            try (StreamReader rtmp = StreamReader.open(relay.rtmpUrl("live/cam"));
                 StreamReader rtspUdp = StreamReader.openRtspUdp(relay.rtspUrl("live/cam"));
                 StreamReader rtspTcp = StreamReader.openRtspTcp(relay.rtspUrl("live/cam"))) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(
                        rtmp.frames() > 30 && rtspUdp.frames() > 30 && rtspTcp.frames() > 30,
                        "frames: rtmp " + rtmp.frames() + " " + rtmp.errors() + ", rtsp/udp " + rtspUdp.frames() + " "
                                + rtspUdp.errors() + ", rtsp/tcp " + rtspTcp.frames() + " " + rtspTcp.errors()));
                assertEquals(640, rtmp.width());
                assertEquals(480, rtspUdp.height());
                assertEquals(3, relay.readers("live/cam"));
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> httpStatus(relay.hlsUrl("live/cam")) == 200);
            publisher.signal("INT");
            assertEquals(0, publisher.awaitExit(Duration.ofSeconds(10)));
            await().atMost(Duration.ofSeconds(10)).until(() -> !relay.ready("live/cam"));
        }
    }

    @Test
    void mediamtx_runsAvailabilityHooks_withThePathInTheirEnvironment() throws Exception {
        final Path marks = java.nio.file.Files.createTempFile("vigil-hook", ".txt");
        try (MediaMtx relay = MediaMtx.builder()
                .onAvailable("live/hooked", "sh -c 'echo \"available $MTX_PATH\" >> " + marks + "'")
                .onUnavailable("live/hooked", "sh -c 'echo \"unavailable $MTX_PATH\" >> " + marks + "'")
                .start()) {
            try (ManagedProcess publisher = publish(relay.rtmpUrl("live/hooked"))) {
                await().atMost(Duration.ofSeconds(15)).until(() -> java.nio.file.Files.readString(marks).contains("available live/hooked"));
                assertTrue(relay.ready("live/hooked"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.readString(marks).contains("unavailable live/hooked"));
        } finally {
            java.nio.file.Files.deleteIfExists(marks);
        }
    }

    @Test
    void mediamtx_keepsPorts_andServesAgain_afterRestart() {
        try (MediaMtx relay = MediaMtx.start()) {
            final int rtsp = relay.rtspPort();
            relay.stop();
            assertFalse(relay.isRunning());
            assertFalse(Ports.isOpen(rtsp));
            relay.restart();
            assertEquals(rtsp, relay.rtspPort());
            try (StreamReader reader = StreamReader.open(relay.rtspUrl("live/again"));
                 ManagedProcess publisher = publish(relay.rtmpUrl("live/again"))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> reader.frames() > 10);
            }
        }
    }

    @Test
    void mediamtx_leavesNoProcess_afterClose() {
        final MediaMtx relay = MediaMtx.start();
        final int port = relay.rtspPort();
        final String config = relay.configFile().toString();
        assertTrue(relay.isRunning());
        assertFalse(Processes.pidsMatching(config).isEmpty());
        relay.close();
        assertFalse(Ports.isOpen(port));
        assertTrue(Processes.pidsMatching(config).isEmpty());
        assertFalse(relay.isRunning());
    }

    private static ManagedProcess publish(final String rtmpUrl) {
        return ManagedProcess.start(List.of("gst-launch-1.0", "-e",
                "videotestsrc", "is-live=true", "!", "video/x-raw,format=I420,width=640,height=480,framerate=15/1",
                "!", "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=15",
                "!", "h264parse", "config-interval=-1", "!", "flvmux", "streamable=true",
                "!", "rtmpsink", "location=" + rtmpUrl), Map.of(), Path.of("."));
    }

    private static int httpStatus(final String url) {
        try {
            // MediaMTX 1.20 answers a first playlist request with a 302 cookie check.
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (final java.io.IOException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
