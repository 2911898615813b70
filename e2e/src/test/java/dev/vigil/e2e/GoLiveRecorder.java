package dev.vigil.e2e;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records, in the page, the Go Live click, the first presented video frame
 * ({@code requestVideoFrameCallback}) and every text of the state line with its time after the
 * click, and logs them: {@code go-live-to-first-frame <label>=<ms>} is the line the benchmarks read.
 */
final class GoLiveRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(GoLiveRecorder.class);
    private static final String SCRIPT = """
            window.vigilTiming = {};
            document.addEventListener('click', e => {
              if (e.target.closest('.go-live') && !window.vigilTiming.click) { window.vigilTiming.click = performance.now(); }
            }, true);
            const video = document.getElementById('video');
            const frame = () => {
              if (video.videoWidth > 0) { window.vigilTiming.frame = window.vigilTiming.frame || performance.now(); }
              else { video.requestVideoFrameCallback(frame); }
            };
            video.requestVideoFrameCallback(frame);
            window.stateLine = [];
            window.stateTimes = [];
            new MutationObserver(() => {
              window.stateLine.push(document.getElementById('view-state').textContent);
              window.stateTimes.push(Math.round(performance.now() - (window.vigilTiming.click || 0)));
            }).observe(document.getElementById('view-state'), { childList: true, characterData: true, subtree: true });
            """;

    private GoLiveRecorder() {
    }

    /** Installs the recorders in the current page; call it before clicking Go Live. */
    static void install(final Browser browser) {
        browser.driver().executeScript(SCRIPT);
    }

    /** Logs the state line and the click-to-first-frame time under {@code label}; answers the state line's texts. */
    static List<?> report(final Browser browser, final String label) {
        final List<?> stateLine = (List<?>) browser.driver().executeScript("return window.stateLine");
        LOG.info("The state line went through {} at {} ms after the click", stateLine,
                browser.driver().executeScript("return window.stateTimes"));
        final double ms = browser.number("return window.vigilTiming.frame - window.vigilTiming.click");
        LOG.info("go-live-to-first-frame {}={}ms", label, Math.round(ms));
        return stateLine;
    }
}
