package dev.vigil.bridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.vigil.bridge.config.RobotSettings;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ViewerUrlsTest {

    private static final RobotSettings ROBOT = RobotSettings.of("default", "robot/stream", "live/stream", "default");

    /** A newcomer's local bridge hands out URLs of its own host, not media.example.org. */
    @Test
    void defaultUrls_pointAtTheHostTheClientUsed() {
        final var defaults = ConfigFactory.defaultReference().getConfig("vigil.bridge.viewer-urls");
        final ViewerUrls urls = new ViewerUrls(Map.of("rtsp", defaults.getString("rtsp"), "hls", defaults.getString("hls"),
                "webrtc", defaults.getString("webrtc"), "rtmp", defaults.getString("rtmp")));
        assertEquals(Map.of("rtsp", "rtsp://127.0.0.1:8554/live/stream", "hls", "http://127.0.0.1:8888/live/stream/index.m3u8",
                "webrtc", "http://127.0.0.1:8889/live/stream", "rtmp", "rtmp://127.0.0.1:1935/live/stream"),
                urls.of(ROBOT, "127.0.0.1"));
        assertEquals(Set.of("http://bridge.lan:8888", "http://bridge.lan:8889"), urls.origins("bridge.lan"));
    }

    @Test
    void templatesWithTheirOwnHost_keepIt() {
        final ViewerUrls urls = new ViewerUrls(Map.of("hls", "https://media.example.org/hls/{id}.m3u8"));
        assertEquals(Map.of("hls", "https://media.example.org/hls/default.m3u8"), urls.of(ROBOT, "10.0.0.1"));
        assertEquals(Set.of("https://media.example.org"), urls.origins("10.0.0.1"));
    }
}
