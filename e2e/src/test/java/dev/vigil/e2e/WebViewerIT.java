package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

/**
 * The web viewer in Debian's headless Chromium against the real bridge, agent (test pattern),
 * mosquitto and MediaMTX (WebRTC over WHEP, HLS as the fallback). Each Go Live test logs a line
 * {@code go-live-to-first-frame <transport>=<ms>} for the benchmarks; timings are not asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebViewerIT {

    private static final By ROBOT_ROW = VigilPage.ROBOT_ROW;
    private static final String WRONG_PASSWORD = "not-the-Password-11";
    private static final String VIDEO = VigilPage.VIDEO;

    private VigilSystem system;
    private Browser browser;

    @BeforeAll
    void startSystem() throws Exception {
        assumeTrue(VigilSystem.jarsBuilt(), "needs bridge/target/vigil-bridge.jar and agent/target/vigil-agent.jar");
        system = VigilSystem.start();
        final HttpResponse<String> page;
        try (HttpClient client = HttpClient.newHttpClient()) {
            page = client.send(HttpRequest.newBuilder(URI.create(system.appUrl())).build(), HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(200, page.statusCode(), "the bridge serves no page at /app/: rebuild it with vigil-webapp on its classpath");
    }

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Browser.start();
    }

    /**
     * Leaves the page first (its pagehide releases the view; quitting the browser alone may not fire
     * it, and the bridge would start the robot again for the lease), then stops the robot.
     */
    @AfterEach
    void closeBrowserAndIdleRobot() throws Exception {
        if (browser != null) {
            try {
                browser.driver().get("about:blank");
            } finally {
                browser.close();
            }
        }
        if (system != null) {
            await("no view is left open").ignoreExceptions().atMost(VigilSystem.VIEW_TTL.plusSeconds(5))
                    .until(() -> system.robot().contains("\"views\":0"));
            system.send("POST", "/robots/default/stream/stop");
            system.enableCamera();
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !system.relayHasStream()
                    && system.robot().contains("\"state\":\"idle\"") && system.robot().contains("\"hold\":\"none\""));
        }
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    private WebDriver page() {
        return browser.driver();
    }

    private void signIn(final String user, final String password) {
        page().get(system.appUrl());
        page().findElement(By.id("user")).sendKeys(user);
        page().findElement(By.id("password")).sendKeys(password);
        page().findElement(By.id("sign-in-button")).click();
    }

    private String robotState() {
        return page().findElement(ROBOT_ROW).findElement(By.cssSelector(".robot-state")).getText();
    }

    private String viewState() {
        return VigilPage.viewState(browser);
    }

    private List<WebElement> visibleStopButtons() {
        return page().findElements(By.tagName("button")).stream()
                .filter(WebElement::isDisplayed)
                .filter(b -> b.getText().toLowerCase(java.util.Locale.ROOT).contains("stop"))
                .toList();
    }

    private WebElement rowButton(final String cls) {
        return page().findElement(ROBOT_ROW).findElement(By.cssSelector("." + cls));
    }

    @Test
    void signIn_isRefused_withWrongPassword() {
        signIn(VigilSystem.VIEWER, WRONG_PASSWORD);
        await().atMost(Duration.ofSeconds(10)).until(
                () -> page().findElement(By.id("sign-in-error")).getText().contains("Wrong user or password"));
        assertFalse(page().findElement(By.id("robots-section")).isDisplayed(), "robots shown after a refused sign-in");
        assertEquals("", page().findElement(By.id("password")).getAttribute("value"), "the refused password stays in the form");
        assertNoPasswordIn(system.bridgeLines());
    }

    /**
     * Weakness 10: after sign-in no script on the origin can recover the password or any token; the
     * session is an HttpOnly, SameSite=Strict, Secure cookie; a reload keeps it; signing out revokes it
     * on the bridge, so the same cookie opens nothing afterwards.
     */
    @Test
    void signIn_keepsNoSecretWhereScriptsReadIt_andSignOutRevokesTheSession() throws Exception {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        final String visible = String.valueOf(browser.driver().executeScript(
                "return JSON.stringify(sessionStorage) + JSON.stringify(localStorage) + document.cookie"));
        final org.openqa.selenium.Cookie cookie = page().manage().getCookieNamed("vigil_session");
        assertTrue(cookie != null && cookie.isHttpOnly() && cookie.isSecure() && "Strict".equals(cookie.getSameSite()),
                "the session cookie is not HttpOnly, Secure and SameSite=Strict: " + cookie);
        for (final String secret : List.of(VigilSystem.VIEWER_PASSWORD, cookie.getValue(),
                java.util.Base64.getEncoder().encodeToString((VigilSystem.VIEWER + ":" + VigilSystem.VIEWER_PASSWORD).getBytes()))) {
            assertFalse(visible.contains(secret), "a script reads a secret from storage or document.cookie");
        }
        page().navigate().refresh();
        await("a reload keeps the session").atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        page().findElement(By.id("sign-out")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> page().findElement(By.id("sign-in")).isDisplayed());
        try (HttpClient client = HttpClient.newHttpClient()) {
            final HttpResponse<String> after = client.send(HttpRequest.newBuilder(URI.create(system.base() + "/robots"))
                    .header("Cookie", "vigil_session=" + cookie.getValue()).header("X-Requested-With", "vigil-app").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, after.statusCode(), "the session outlived its sign-out");
        }
    }

    @Test
    void signIn_showsRobotOnline_andViewerSeesNoStopButton() {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty()
                && page().findElement(ROBOT_ROW).findElement(By.cssSelector(".availability")).getText().equals("online"));
        await().atMost(Duration.ofSeconds(10)).until(() -> page().findElement(By.id("who")).getText()
                .equals("Signed in as " + VigilSystem.VIEWER + " (viewer)"));
        assertTrue(visibleStopButtons().isEmpty(), "a viewer sees a Stop button");
        assertFalse(rowButton("camera-off").isDisplayed(), "a viewer sees the privacy switch");
        assertTrue(rowButton("go-live").isDisplayed());
    }

    /** Papercut: a user named after the role is not "Signed in as viewer (viewer)". */
    @Test
    void signIn_namesTheRoleOnce_whenUserIsNamedAfterIt() {
        signIn(VigilSystem.NEWCOMER, VigilSystem.NEWCOMER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> page().findElement(By.id("who")).getText().equals("Signed in as viewer"));
    }

    /** Papercut: no red Stop while the robot is idle; a small one once it streams. */
    @Test
    void operator_seesStopOnlyWhileRobotRuns() throws Exception {
        signIn(VigilSystem.OPERATOR, VigilSystem.OPERATOR_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> page().findElement(By.id("who")).getText().contains("(operator)"));
        assertEquals("idle", robotState());
        assertTrue(visibleStopButtons().isEmpty(), "a Stop button while the robot is idle");
        assertTrue(rowButton("camera-off").isDisplayed(), "the operator has no privacy switch");
        startRobotByHand();
        await().atMost(Duration.ofSeconds(15)).until(() -> !visibleStopButtons().isEmpty());
        final WebElement stop = rowButton("stop");
        assertTrue(stop.getSize().getWidth() < page().findElement(ROBOT_ROW).getSize().getWidth() / 2,
                "a full-width Stop button");
    }

    @Test
    void page_fitsPhoneScreen_andSignsInWithKeyboardOnly() {
        page().manage().window().setSize(new Dimension(390, 800));
        page().get(system.appUrl());
        page().findElement(By.id("user")).click();
        page().switchTo().activeElement().sendKeys(VigilSystem.OPERATOR + Keys.TAB);
        page().switchTo().activeElement().sendKeys(VigilSystem.OPERATOR_PASSWORD + Keys.ENTER);
        await().atMost(Duration.ofSeconds(15)).until(() -> page().findElement(By.id("who")).getText().contains("(operator)"));
        assertEquals("Go Live: default", page().switchTo().activeElement().getAttribute("aria-label"),
                "the focus is not on the first robot's Go Live after sign-in");
        final double width = browser.number("return document.documentElement.clientWidth");
        assertTrue(width <= 400, "the window is not phone-sized: " + width);
        assertTrue(browser.number("return document.documentElement.scrollWidth") <= width, "the page scrolls sideways on a phone");
        final double titleTop = browser.number("return document.querySelector('header h1').getBoundingClientRect().top");
        final double signOutTop = browser.number("return document.getElementById('sign-out').getBoundingClientRect().top");
        final double titleHeight = browser.number("return document.querySelector('header h1').getBoundingClientRect().height");
        assertTrue(Math.abs(signOutTop - titleTop) < titleHeight, "Sign out wraps onto a row of its own on a phone");
    }

    /** Weakness 6 in the page: an operator's Stop holds; the robot's row says so and only an operator's Start lifts it. */
    @Test
    void operatorStop_holds_untilOperatorStartsAgain() {
        signIn(VigilSystem.OPERATOR, VigilSystem.OPERATOR_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> page().findElement(By.id("who")).getText().contains("(operator)"));
        rowButton("go-live").click();
        await("the robot turns live in the page").atMost(Duration.ofSeconds(30)).until(() -> robotState().equals("live"));
        page().findElement(By.id("stop-robot")).click();
        await("the robot stops").atMost(Duration.ofSeconds(10)).until(() -> robotState().equals("idle")
                && !system.relayHasStream());
        assertFalse(page().findElement(By.id("viewer")).isDisplayed(), "the view stays open after Stop");
        await().atMost(Duration.ofSeconds(5)).until(() -> rowButton("hold").getText().equals("stopped by an operator"));
        assertFalse(rowButton("go-live").isEnabled(), "Go Live is offered on a stopped robot");
        await("nothing restarts it").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5))
                .until(() -> robotState().equals("idle") && !system.relayHasStream());
        rowButton("start").click();
        await("an operator's start lifts the stop").atMost(Duration.ofSeconds(30))
                .until(() -> robotState().equals("live") && rowButton("go-live").isEnabled());
    }

    /** Weakness 6 seen by a viewer: the operator's stop ends the view, and the page says why. */
    @Test
    void operatorStop_endsAViewersView_andSaysWhy() throws Exception {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        goLive();
        awaitVideoPlays();
        assertEquals(202, system.send("POST", "/robots/default/stream/stop").statusCode());
        await("the page says the operator stopped it").atMost(Duration.ofSeconds(10))
                .until(() -> viewState().startsWith("ended: stopped by an operator"));
        await("the relay has no reader left").atMost(Duration.ofSeconds(10)).until(() -> system.relay().readers(VigilSystem.PATH) == 0);
        assertFalse(rowButton("go-live").isEnabled(), "Go Live is offered on a stopped robot");
    }

    @Test
    void robotAvailability_isPushedToThePage_whenAgentStopsAndReturns() {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        final By availability = By.cssSelector("#robots li[data-robot='default'] .availability");
        final By goLive = By.cssSelector("#robots li[data-robot='default'] .go-live");
        assertEquals("online", page().findElement(availability).getText());
        system.stopAgent();
        await("offline is pushed").atMost(Duration.ofSeconds(15)).until(() -> page().findElement(availability).getText().equals("offline"));
        assertFalse(page().findElement(goLive).isEnabled(), "Go Live is offered for an offline robot");
        system.startAgent();
        await("online is pushed").atMost(Duration.ofSeconds(15)).until(() -> page().findElement(availability).getText().equals("online"));
        assertTrue(page().findElement(goLive).isEnabled());
    }

    @Test
    void goLive_playsOverWebRtc_andClosingTheTabStopsRobot() throws Exception {
        final String firstTab = page().getWindowHandle();
        page().switchTo().newWindow(WindowType.TAB);
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        assertEquals("idle", robotState());

        page().manage().window().setSize(new Dimension(900, 1100));
        goLive();
        assertPlays("webrtc", "live · WebRTC");
        assertEquals(1, system.relay().readers(VigilSystem.PATH), "the page is not MediaMTX's one reader");
        final Path shot = browser.screenshot("go-live");
        assertTrue(Files.size(shot) > 10_000, "an empty screenshot");
        assertTrue(system.robot().contains("\"views\":1"), system.robot());

        page().close();
        page().switchTo().window(firstTab);
        final long closed = System.nanoTime();
        await("the bridge has no view left").atMost(Duration.ofSeconds(5)).until(() -> system.robot().contains("\"views\":0"));
        await("the relay has no reader left").atMost(Duration.ofSeconds(5)).until(() -> system.relay().readers(VigilSystem.PATH) == 0);
        await("the robot stops within the lease TTL plus the linger").atMost(VigilSystem.VIEW_TTL.plus(VigilSystem.LINGER))
                .until(() -> system.robot().contains("\"state\":\"idle\"") && !system.relayHasStream());
        final Duration took = Duration.ofNanos(System.nanoTime() - closed);
        assertTrue(took.compareTo(VigilSystem.VIEW_TTL) < 0,
                "stopped after " + took + ": the lease expired instead of being released on pagehide");
        assertNoPasswordIn(system.bridgeLines());
    }

    /**
     * Weakness 11 over WebRTC: the stream dies under the view (its gst-launch is killed; the agent
     * starts it again). The frozen last picture is not called live; the page joins the new stream and
     * says live only once its new frames play.
     */
    @Test
    void goLive_stopsSayingLive_onAFrozenPicture_andResumesOnTheNewStream() throws Exception {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        goLive();
        awaitVideoPlays();
        await().atMost(Duration.ofSeconds(5)).until(() -> viewState().equals("live · WebRTC"));
        GoLiveRecorder.install(browser);
        system.killStream();
        await("the page stops calling the frozen picture live").atMost(Duration.ofSeconds(6))
                .until(() -> !viewState().startsWith("live"));
        await("the page plays the new stream over WebRTC").atMost(Duration.ofSeconds(40))
                .until(() -> viewState().equals("live · WebRTC"));
        awaitVideoPlays();
        assertEquals(1, system.relay().readers(VigilSystem.PATH), "the old WebRTC session is still a reader");
    }

    /**
     * Weakness 11 over HLS: another viewer keeps the relay's HLS muxer of the stream open, then the
     * robot's pipeline hangs (SIGSTOP: its connection to the relay stays open, no new frame comes), so
     * the relay's playlist holds only frames from before the request. Go Live plays them, and the
     * state line does not call them live; once the pipeline goes on (or the agent restarts it), it
     * says live, and only over frames newer than the request (a frame's time is its
     * EXT-X-PROGRAM-DATE-TIME, the relay's own stamp).
     */
    @Test
    void goLive_neverCallsOldFramesLive_whenTheStreamHangs_overHls() throws Exception {
        browser.close();
        browser = Browser.start(Browser.Limit.NO_WEBRTC);
        startRobotByHand();
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty() && robotState().equals("live"));
        final HttpClient otherViewer = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .followRedirects(HttpClient.Redirect.ALWAYS).build();
        final HttpRequest playlist = HttpRequest.newBuilder(URI.create(system.relay().hlsUrl(VigilSystem.PATH)))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (VigilSystem.VIEWER + ":" + VigilSystem.VIEWER_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build();
        await("another viewer's HLS playlist holds a few segments").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> segments(otherViewer, playlist) >= 3);
        system.signalStream("STOP");
        try {
            browser.driver().executeScript("""
                    window.freshness = [];
                    window.clicked = Date.now();
                    const v = document.getElementById('video');
                    const record = () => window.freshness.push({ state: document.getElementById('view-state').textContent,
                        frame: v.dataset.frameTime ? Date.parse(v.dataset.frameTime) : null });
                    new MutationObserver(record).observe(document.getElementById('view-state'), { childList: true, characterData: true, subtree: true });
                    new MutationObserver(record).observe(v, { attributes: true, attributeFilter: ['data-frame-time'] });
                    """);
            goLive();
            await("the relay's old frames play").atMost(Duration.ofSeconds(15))
                    .until(() -> browser.driver().executeScript("return document.getElementById('video').dataset.frameTime") != null);
            assertFalse(viewState().startsWith("live"), "old frames are called live: " + viewState());
        } finally {
            system.signalStream("CONT");
        }
        await("the stream goes on and the page says live").atMost(Duration.ofSeconds(40)).until(() -> viewState().equals("live · HLS"));
        awaitVideoPlays();
        final long clicked = ((Number) browser.driver().executeScript("return window.clicked")).longValue();
        final List<?> records = (List<?>) browser.driver().executeScript("return window.freshness");
        boolean sawOld = false;
        for (final Object record : records) {
            final java.util.Map<?, ?> r = (java.util.Map<?, ?>) record;
            final Number frame = (Number) r.get("frame");
            if (String.valueOf(r.get("state")).startsWith("live")) {
                assertTrue(frame != null && frame.longValue() >= clicked - 50, "'live' over a frame older than the request: " + records);
            } else if (frame != null && frame.longValue() < clicked) {
                sawOld = true;
            }
        }
        assertTrue(sawOld, "no frame older than the request was played (nothing proved): " + records);
    }

    /** How many segments the media playlist behind {@code multivariant} lists, as a player with {@code client}'s session sees it. */
    private static int segments(final HttpClient client, final HttpRequest multivariant) throws Exception {
        final HttpResponse<String> top = client.send(multivariant, HttpResponse.BodyHandlers.ofString());
        final String media = top.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse(null);
        if (top.statusCode() != 200 || media == null) {
            return 0;
        }
        final HttpResponse<String> list = client.send(HttpRequest.newBuilder(top.uri().resolve(media)).build(),
                HttpResponse.BodyHandlers.ofString());
        return list.statusCode() == 200 ? (int) list.body().lines().filter(l -> l.startsWith("#EXTINF")).count() : 0;
    }

    /** Papercuts: Go Live is not offered for a robot this page already watches; closing the view shows 0 watching at once. */
    @Test
    void goLive_isDisabledWhileWatching_andClosingDropsTheCountAtOnce() throws Exception {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        goLive();
        awaitVideoPlays();
        assertFalse(rowButton("go-live").isEnabled(), "Go Live stays enabled while watching");
        assertEquals("Watching", rowButton("go-live").getText());
        await().atMost(Duration.ofSeconds(5)).until(() -> rowButton("views").getText().equals("1 watching"));
        page().findElement(By.id("close-view")).click();
        await("the count drops with the view").atMost(Duration.ofSeconds(3))
                .until(() -> !rowButton("views").getText().contains("watching") || rowButton("views").getText().startsWith("no one"));
        assertTrue(rowButton("go-live").isEnabled());
    }

    /** Weakness 9 in Chromium: another origin cannot frame the page. */
    @Test
    void robotsPicture_showsInItsRow_andARecordedClipPlays_forAViewer() throws Exception {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(20)).until(() -> page().findElement(ROBOT_ROW).getText().contains("online"));
        assertFalse(rowButton("record").isDisplayed(), "a viewer may not record");
        rowButton("take-snapshot").click();
        // The picture comes over the session (fetch with X-Requested-With), shown as a data: URL within the CSP.
        await("the robot's picture shows").atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(browser.driver()
                .executeScript("var i = document.querySelector('#robots li[data-robot=\"default\"] img.snapshot');"
                        + " return !!i && !i.hidden && i.naturalWidth > 0 && i.src.startsWith('data:image/jpeg');")));

        // An operator records 4 s of the running stream.
        assertEquals(200, system.send("POST", "/robots/default/stream/start?wait=PT30S").statusCode());
        // MediaMTX drops a publisher that is still connecting when its configuration reloads (as switching
        // recording does): record once the relay has the stream.
        await().atMost(Duration.ofSeconds(20)).until(system::relayHasStream);
        assertEquals(201, system.send("POST", "/robots/default/recording?duration=PT4S").statusCode());
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() ->
                system.send("GET", "/robots/default/recording").body().contains("\"recording\":null"));
        // The list is read when the button is pressed: press it again until the relay lists the new clip.
        await("the clip is listed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            rowButton("show-clips").click();
            Thread.sleep(300);
            return !page().findElements(By.cssSelector("#clips .play-clip")).isEmpty();
        });
        page().findElements(By.cssSelector("#clips .play-clip")).get(0).click();
        await("the clip plays").atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(browser.driver().executeScript(
                "var v = document.getElementById('clip-video'); return !v.hidden && v.readyState >= 2 && v.duration > 2;")));
    }

    @Test
    void page_refusesToBeFramed_byAnotherOrigin() throws Exception {
        try (StaticSite other = StaticSite.start(java.util.Map.of("/frame.html",
                "<!doctype html><html><body><iframe id='f' src='" + system.appUrl() + "' width='600' height='400'></iframe>"
                        + "</body></html>"))) {
            page().get(other.url("/frame.html"));
            final String[] url = new String[1];
            await("the frame is refused or loaded").atMost(Duration.ofSeconds(10)).until(() -> {
                page().switchTo().frame(page().findElement(By.id("f")));
                try {
                    url[0] = String.valueOf(browser.driver().executeScript("return location.href"));
                    return url[0].startsWith("chrome-error:") || !page().findElements(By.id("sign-in")).isEmpty();
                } finally {
                    page().switchTo().defaultContent();
                }
            });
            assertTrue(url[0].startsWith("chrome-error:"), "the page rendered inside another origin's frame: " + url[0]);
        }
    }

    @Test
    void goLive_joinsRunningStreamOverWebRtc() throws Exception {
        startRobotByHand();
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty() && robotState().equals("live"));
        goLive();
        assertPlays("webrtc-running", "live · WebRTC");
    }

    @Test
    void goLive_joinsRunningStreamOverHls_whenBrowserHasNoWebRtc() throws Exception {
        browser.close();
        browser = Browser.start(Browser.Limit.NO_WEBRTC);
        startRobotByHand();
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty() && robotState().equals("live"));
        goLive();
        assertPlays("hls-running", "live · HLS");
    }

    @Test
    void goLive_fallsBackToHls_whenBrowserHasNoWebRtc() throws Exception {
        browser.close();
        browser = Browser.start(Browser.Limit.NO_WEBRTC);
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        assertEquals("undefined", browser.driver().executeScript("return typeof RTCPeerConnection"));
        assertEquals("idle", robotState());
        goLive();
        assertPlays("hls", "live · HLS");
        browser.screenshot("go-live-hls");
    }

    @Test
    void goLive_fallsBackToHls_whenWebRtcCannotConnect() throws Exception {
        browser.close();
        browser = Browser.start(Browser.Limit.UDP_BLOCKED);
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        assertEquals("idle", robotState());
        goLive();
        final List<?> stateLine = assertPlays("hls-after-webrtc-timeout", "live · HLS");
        assertTrue(stateLine.stream().anyMatch(line -> String.valueOf(line).contains("over HLS; WebRTC failed: WebRTC did not connect")),
                "the page does not say why it left WebRTC: " + stateLine);
    }

    @Test
    void relay_refusesWebRtcAndHlsReads_withoutLiveLease() {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        final String whep = system.relay().whepUrl(VigilSystem.PATH);
        for (final String credential : new String[] {"", "lease:not-a-live-key",
                VigilSystem.ROBOT_USER + ":" + VigilSystem.ROBOT_PASSWORD}) {
            final Object status = browser.driver().executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const session = VigilWhep.session(document.getElementById('video'), {});
                    session.post(arguments[0], arguments[1] ? 'Basic ' + btoa(arguments[1]) : null)
                      .then(() => done(201), e => done(e.status)).finally(() => session.close());
                    """, whep, credential);
            assertEquals(401L, status, "the relay let a WebRTC reader in with '" + credential.replaceAll(":.*", ":***") + "'");
        }
        final String hls = system.relay().hlsUrl(VigilSystem.PATH);
        for (final String query : new String[] {"", "?key=not-a-live-key"}) {
            final Object status = browser.driver().executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch(arguments[0], { cache: 'no-store' }).then(r => done(r.status), e => done(String(e)));
                    """, hls + query);
            assertEquals(401L, status, "the relay let an HLS reader in with '" + query + "'");
        }
        assertEquals(0, system.relay().readers(VigilSystem.PATH));
    }

    /** Waits for the robot to be live in the list and for 640 px video whose time advances. */
    private void awaitVideoPlays() {
        await("the robot turns live in the page").atMost(Duration.ofSeconds(30)).until(() -> robotState().equals("live"));
        await("the video plays").atMost(Duration.ofSeconds(40)).until(() -> browser.number(VIDEO + ".currentTime") > 1.0);
        final double first = browser.number(VIDEO + ".currentTime");
        await("the video keeps playing").atMost(Duration.ofSeconds(10))
                .until(() -> browser.number(VIDEO + ".currentTime") > first + 1.0);
        assertEquals(640.0, browser.number(VIDEO + ".videoWidth"));
    }

    /** An operator starts the robot through the API; returns once the relay has its stream. */
    private void startRobotByHand() throws Exception {
        final HttpResponse<String> started = system.send("POST", "/robots/default/stream/start");
        assertEquals(202, started.statusCode(), started.body());
        await("the relay has the stream").atMost(Duration.ofSeconds(20)).until(system::relayHasStream);
    }

    /** Clicks Go Live on the default robot with the timing and state-line recorders in place. */
    private void goLive() {
        GoLiveRecorder.install(browser);
        page().findElement(ROBOT_ROW).findElement(By.cssSelector(".go-live")).click();
        assertTrue(page().findElement(By.id("viewer")).isDisplayed());
    }

    /** Waits for 640 px video whose time advances and the state line {@code live}; logs the timing; answers the state line. */
    private List<?> assertPlays(final String transport, final String live) {
        awaitVideoPlays();
        await().atMost(Duration.ofSeconds(5)).until(() -> viewState().equals(live));
        final List<?> stateLine = GoLiveRecorder.report(browser, transport);
        assertTrue(String.valueOf(stateLine.get(0)).startsWith("starting"), "state line " + stateLine);
        assertEquals(live, stateLine.get(stateLine.size() - 1), "state line " + stateLine);
        return stateLine;
    }

    private static void assertNoPasswordIn(final List<String> lines) {
        final String output = String.join("\n", lines);
        for (final String secret : List.of(VigilSystem.VIEWER_PASSWORD, VigilSystem.OPERATOR_PASSWORD,
                VigilSystem.ROBOT_PASSWORD, VigilSystem.MQTT_PASSWORD, WRONG_PASSWORD)) {
            assertFalse(output.contains(secret), "a password in the bridge's output");
        }
    }
}
