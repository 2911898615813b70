package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Chromium figures of {@code bench/relay/run.sh}, not a test that CI runs (its name does not end in IT):
 * {@code mvn -pl e2e -am verify -Dit.test=GoLiveBench -Dvigil.bench.rounds=10} (and {@code -Dvigil.bench.publish=RTSP}
 * for the robot's {@code testsrc-rtsp} instead of RTMP). One system, then for each
 * transport that many rounds of: a fresh Chromium, sign in, Go Live on the idle robot, wait until the video
 * plays; {@link GoLiveRecorder} logs {@code go-live-to-first-frame webrtc|hls=<ms>}; leave the page
 * and wait until the robot is idle again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoLiveBench {

    private static final int ROUNDS = Integer.getInteger("vigil.bench.rounds", 10);
    private static final VigilSystem.Publish PUBLISH = VigilSystem.Publish.valueOf(System.getProperty("vigil.bench.publish", "RTMP"));

    private VigilSystem system;

    @BeforeAll
    void startSystem() throws Exception {
        assumeTrue(VigilSystem.jarsBuilt(), "needs bridge/target/vigil-bridge.jar and agent/target/vigil-agent.jar");
        system = VigilSystem.start(null, PUBLISH);
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void goLive_fromIdle_overWebRtc() throws Exception {
        rounds(Browser.Limit.NONE, "webrtc");
    }

    @Test
    void goLive_fromIdle_overHlsFallback() throws Exception {
        rounds(Browser.Limit.NO_WEBRTC, "hls");
    }

    private void rounds(final Browser.Limit limit, final String label) throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            await("the robot is idle").atMost(Duration.ofSeconds(30))
                    .until(() -> system.robot().contains("\"state\":\"idle\"") && !system.relayHasStream());
            try (Browser browser = Browser.start(limit)) {
                VigilPage.signInAsViewer(browser, system);
                VigilPage.goLiveAndPlay(browser);
                GoLiveRecorder.report(browser, PUBLISH == VigilSystem.Publish.RTMP ? label : label + "-" + PUBLISH.name().toLowerCase(java.util.Locale.ROOT));
                // Leaving the page releases the view (pagehide); the robot stops after the linger.
                browser.driver().get("about:blank");
            }
            await("no view is left open").atMost(VigilSystem.VIEW_TTL.plusSeconds(5))
                    .until(() -> system.robot().contains("\"views\":0"));
            assertTrue(system.send("POST", "/robots/default/stream/stop").statusCode() < 300, "stop refused");
            // An operator's stop holds: back to on demand for the next round.
            system.enableCamera();
        }
    }
}
