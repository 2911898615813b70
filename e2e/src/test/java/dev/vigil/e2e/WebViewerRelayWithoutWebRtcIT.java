package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.testkit.Ports;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The page when the relay's WebRTC cannot be reached (MediaMTX with {@code webrtc: no}, or its port
 * firewalled): the bridge hands out a WebRTC URL on a port where nothing listens, the WHEP POST
 * fails to connect, and the page plays HLS at once.
 */
class WebViewerRelayWithoutWebRtcIT {

    private static final By ROBOT_ROW = By.cssSelector("#robots li[data-robot='default']");
    private static final String VIDEO = "return document.getElementById('video')";

    @Test
    void goLive_fallsBackToHls_whenRelayWebRtcIsUnreachable() throws Exception {
        assumeTrue(VigilSystem.jarsBuilt(), "needs bridge/target/vigil-bridge.jar and agent/target/vigil-agent.jar");
        try (VigilSystem system = VigilSystem.start("http://127.0.0.1:" + Ports.free() + "/{path}");
             Browser browser = Browser.start()) {
            browser.driver().get(system.appUrl());
            browser.driver().findElement(By.id("user")).sendKeys(VigilSystem.VIEWER);
            browser.driver().findElement(By.id("password")).sendKeys(VigilSystem.VIEWER_PASSWORD);
            browser.driver().findElement(By.id("sign-in-button")).click();
            await().atMost(Duration.ofSeconds(15)).until(() -> !browser.driver().findElements(ROBOT_ROW).isEmpty());
            GoLiveRecorder.install(browser);
            browser.driver().findElement(ROBOT_ROW).findElement(By.cssSelector(".go-live")).click();
            await("the video plays").atMost(Duration.ofSeconds(40)).until(() -> browser.number(VIDEO + ".currentTime") > 1.0);
            assertEquals(640.0, browser.number(VIDEO + ".videoWidth"));
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> browser.driver().findElement(By.id("view-state")).getText().equals("live · HLS"));
            final List<?> stateLine = GoLiveRecorder.report(browser, "hls-relay-without-webrtc");
            assertTrue(stateLine.stream().anyMatch(l -> String.valueOf(l).contains("WebRTC failed: the WebRTC server cannot be reached")),
                    "the page does not say why it left WebRTC: " + stateLine);
            system.send("POST", "/robots/default/stream/stop");
        }
    }
}
