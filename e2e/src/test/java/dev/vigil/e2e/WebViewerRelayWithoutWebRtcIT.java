package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.testkit.Ports;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The page when the relay's WebRTC cannot be reached (MediaMTX with {@code webrtc: no}, or its port
 * firewalled): the bridge hands out a WebRTC URL on a port where nothing listens, the WHEP POST
 * fails to connect, and the page plays HLS at once.
 */
class WebViewerRelayWithoutWebRtcIT {

    @Test
    void goLive_fallsBackToHls_whenRelayWebRtcIsUnreachable() throws Exception {
        assumeTrue(VigilSystem.jarsBuilt(), "needs bridge/target/vigil-bridge.jar and agent/target/vigil-agent.jar");
        try (VigilSystem system = VigilSystem.start("http://127.0.0.1:" + Ports.free() + "/{path}", VigilSystem.Publish.RTMP);
             Browser browser = Browser.start()) {
            VigilPage.signInAsViewer(browser, system);
            VigilPage.goLiveAndPlay(browser);
            assertEquals(640.0, browser.number(VigilPage.VIDEO + ".videoWidth"));
            await().atMost(Duration.ofSeconds(5)).until(() -> VigilPage.viewState(browser).equals("live · HLS"));
            final List<?> stateLine = GoLiveRecorder.report(browser, "hls-relay-without-webrtc");
            assertTrue(stateLine.stream().anyMatch(l -> String.valueOf(l).contains("WebRTC failed: the WebRTC server cannot be reached")),
                    "the page does not say why it left WebRTC: " + stateLine);
            browser.driver().get("about:blank");
        }
    }
}
