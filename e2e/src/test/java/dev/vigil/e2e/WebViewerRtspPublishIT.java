package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Go Live on a robot that publishes over RTSP ({@code testsrc-rtsp}, rtspclientsink) instead of
 * RTMP: the page plays the same way, and the timing shows what the relay's ingest costs per protocol.
 */
class WebViewerRtspPublishIT {

    @Test
    void goLive_playsOverWebRtc_whenRobotPublishesOverRtsp() throws Exception {
        assumeTrue(VigilSystem.jarsBuilt(), "needs bridge/target/vigil-bridge.jar and agent/target/vigil-agent.jar");
        try (VigilSystem system = VigilSystem.start(null, VigilSystem.Publish.RTSP);
             Browser browser = Browser.start()) {
            VigilPage.signInAsViewer(browser, system);
            VigilPage.goLiveAndPlay(browser);
            assertEquals(640.0, browser.number(VigilPage.VIDEO + ".videoWidth"));
            await().atMost(Duration.ofSeconds(5)).until(() -> VigilPage.viewState(browser).equals("live · WebRTC"));
            GoLiveRecorder.report(browser, "webrtc-rtsp-publish");
            browser.driver().get("about:blank");
        }
    }
}
