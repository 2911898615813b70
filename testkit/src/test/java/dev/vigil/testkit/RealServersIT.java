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
    void relay_carriesVideo_fromPublisherToReader() {
        try (RtmpRelay relay = RtmpRelay.builder().hls(true).start();
             StreamReader reader = StreamReader.open(relay.rtmpUrl("cam"));
             ManagedProcess publisher = ManagedProcess.start(List.of("gst-launch-1.0", "-e",
                     "videotestsrc", "is-live=true", "!", "video/x-raw,format=I420,width=640,height=480,framerate=15/1",
                     "!", "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=15",
                     "!", "h264parse", "config-interval=-1", "!", "flvmux", "streamable=true",
                     "!", "rtmpsink", "location=" + relay.rtmpUrl("cam")), Map.of(), Path.of("."))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> relay.publishers().contains("cam"));
            await().atMost(Duration.ofSeconds(20)).until(() -> reader.frames() > 30);
            assertEquals(640, reader.width());
            assertEquals(480, reader.height());
            assertEquals(1, relay.players("cam"));
            await().atMost(Duration.ofSeconds(15)).until(() -> httpStatus(relay.hlsUrl("cam")) == 200);
            publisher.signal("INT");
            assertEquals(0, publisher.awaitExit(Duration.ofSeconds(10)));
            await().atMost(Duration.ofSeconds(10)).until(() -> !relay.publishers().contains("cam"));
        }
    }

    @Test
    void relay_leavesNoProcess_afterClose() {
        final RtmpRelay relay = RtmpRelay.start();
        final int port = relay.rtmpPort();
        assertTrue(relay.isRunning());
        relay.close();
        assertFalse(Ports.isOpen(port));
        assertTrue(Processes.pidsMatching("vigil-nginx").stream()
                .noneMatch(pid -> Processes.commandLine(pid).contains(String.valueOf(port))));
        assertFalse(relay.isRunning());
    }

    private static int httpStatus(final String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (final java.io.IOException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
