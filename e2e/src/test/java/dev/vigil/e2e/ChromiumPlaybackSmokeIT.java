package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.MediaMtx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Before the whole chain: Debian's Chromium plays a real MediaMTX stream that a real gst-launch
 * publishes over RTMP, over WebRTC with the page's own WHEP client and over HLS with the pinned
 * hls.js (H.264 through Media Source Extensions). No auth: that is the chain's test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChromiumPlaybackSmokeIT {

    private static final String HLS_PAGE = """
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

    private static final String WHEP_PAGE = """
            <!doctype html><html><body>
            <video id="v" muted autoplay playsinline></video>
            <script src="/app/whep.js"></script>
            <script>
              window.errors = [];
              const url = new URLSearchParams(location.search).get('src');
              function load() {
                const session = VigilWhep.session(document.getElementById('v'), { onFailed: reason => window.errors.push(reason) });
                session.post(url).catch(e => { window.errors.push(e.status + ' ' + e.message); session.close(); setTimeout(load, 500); });
              }
              load();
            </script></body></html>
            """;

    private MediaMtx relay;
    private ManagedProcess publisher;
    private StaticSite site;

    @BeforeAll
    void publish() throws Exception {
        relay = MediaMtx.start();
        publisher = TestPattern.publish(relay.rtmpUrl("smoke"));
        site = StaticSite.start(Map.of("/hls.html", HLS_PAGE, "/whep.html", WHEP_PAGE));
        await("MediaMTX has the stream").atMost(Duration.ofSeconds(20)).until(() -> relay.ready("smoke"));
    }

    @AfterAll
    void stop() {
        if (site != null) {
            site.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void hlsJs_playsH264ViaMse_inDebianChromium() throws Exception {
        try (Browser browser = Browser.start()) {
            browser.driver().get(site.url("/hls.html?src=" + relay.hlsUrl("smoke")));
            assertEquals(Boolean.TRUE, browser.driver().executeScript("return window.mse"),
                    "Chromium says it cannot play H.264 through MSE");
            assertPlays640(browser);
            browser.screenshot("smoke-hls");
        }
    }

    @Test
    void whepClient_playsH264OverWebRtc_inDebianChromium() throws Exception {
        try (Browser browser = Browser.start()) {
            browser.driver().get(site.url("/whep.html?src=" + relay.whepUrl("smoke")));
            assertPlays640(browser);
            assertEquals(1, relay.readers("smoke"), "MediaMTX does not count the WebRTC reader");
            browser.screenshot("smoke-webrtc");
        }
    }

    private static void assertPlays640(final Browser browser) {
        await().atMost(Duration.ofSeconds(40)).until(
                () -> browser.number("return document.getElementById('v').currentTime") > 1.0);
        final double first = browser.number("return document.getElementById('v').currentTime");
        await().atMost(Duration.ofSeconds(10)).until(
                () -> browser.number("return document.getElementById('v').currentTime") > first + 1.0);
        assertEquals(640.0, browser.number("return document.getElementById('v').videoWidth"));
        assertEquals(480.0, browser.number("return document.getElementById('v').videoHeight"));
    }
}
