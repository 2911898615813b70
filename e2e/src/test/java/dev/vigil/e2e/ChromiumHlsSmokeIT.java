package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.RtmpRelay;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Before the whole chain: Debian's Chromium plays H.264 through Media Source Extensions with the
 * pinned hls.js, from a real nginx-rtmp HLS playlist that a real gst-launch publishes.
 */
class ChromiumHlsSmokeIT {

    private static final String PAGE = """
            <!doctype html><html><body>
            <video id="v" muted autoplay playsinline></video>
            <script src="/app/vendor/hls.min.js"></script>
            <script>
              window.errors = [];
              const url = new URLSearchParams(location.search).get('src');
              function load() {
                const hls = new Hls({ manifestLoadingMaxRetry: 0 });
                hls.on(Hls.Events.ERROR, (e, d) => {
                  window.errors.push(d.details);
                  if (d.fatal) { hls.destroy(); setTimeout(load, 1000); }
                });
                hls.loadSource(url);
                hls.attachMedia(document.getElementById('v'));
              }
              window.mse = window.MediaSource && MediaSource.isTypeSupported('video/mp4; codecs="avc1.42E01E"');
              load();
            </script></body></html>
            """;

    @Test
    void hlsJs_playsH264ViaMse_inDebianChromium() throws Exception {
        try (RtmpRelay relay = RtmpRelay.builder().hls(true).start();
             ManagedProcess publisher = TestPattern.publish(relay.rtmpUrl("smoke"));
             StaticSite site = StaticSite.start(Map.of("/smoke.html", PAGE));
             Browser browser = Browser.start()) {
            browser.driver().get(site.url("/smoke.html?src=" + relay.hlsUrl("smoke")));
            assertEquals(Boolean.TRUE, browser.driver().executeScript("return window.mse"),
                    "Chromium says it cannot play H.264 through MSE");
            await().atMost(Duration.ofSeconds(40)).until(
                    () -> browser.number("return document.getElementById('v').currentTime") > 1.0);
            final double first = browser.number("return document.getElementById('v').currentTime");
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> browser.number("return document.getElementById('v').currentTime") > first + 1.0);
            assertEquals(640.0, browser.number("return document.getElementById('v').videoWidth"));
            assertEquals(480.0, browser.number("return document.getElementById('v').videoHeight"));
            browser.screenshot("smoke-hls");
        }
    }
}
