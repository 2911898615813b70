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
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !system.relayHasStream()
                    && system.robot().contains("\"state\":\"idle\""));
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

    @Test
    void signIn_isRefused_withWrongPassword() {
        signIn(VigilSystem.VIEWER, WRONG_PASSWORD);
        await().atMost(Duration.ofSeconds(10)).until(
                () -> page().findElement(By.id("sign-in-error")).getText().contains("Wrong user or password"));
        assertFalse(page().findElement(By.id("robots-section")).isDisplayed(), "robots shown after a refused sign-in");
        assertEquals(null, browser.driver().executeScript("return sessionStorage.getItem('vigil.auth')"),
                "a refused credential is kept");
        assertNoPasswordIn(system.bridgeLines());
    }

    @Test
    void signIn_showsRobotOnline_andViewerSeesNoStopButton() {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty()
                && page().findElement(ROBOT_ROW).findElement(By.cssSelector(".availability")).getText().equals("online"));
        await().atMost(Duration.ofSeconds(10)).until(() -> page().findElement(By.id("who")).getText().contains("(viewer)"));
        assertTrue(visibleStopButtons().isEmpty(), "a viewer sees a Stop button");
        assertTrue(page().findElement(ROBOT_ROW).findElement(By.cssSelector(".go-live")).isDisplayed());
    }

    @Test
    void signIn_operatorSeesStopButton() {
        signIn(VigilSystem.OPERATOR, VigilSystem.OPERATOR_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> page().findElement(By.id("who")).getText().contains("(operator)"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !visibleStopButtons().isEmpty());
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
    }

    @Test
    void operatorStop_closesViewAndStopsRobot() {
        signIn(VigilSystem.OPERATOR, VigilSystem.OPERATOR_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> page().findElement(By.id("who")).getText().contains("(operator)"));
        page().findElement(ROBOT_ROW).findElement(By.cssSelector(".go-live")).click();
        await("the robot turns live in the page").atMost(Duration.ofSeconds(30)).until(() -> robotState().equals("live"));
        page().findElement(By.id("stop-robot")).click();
        await("the robot stops").atMost(Duration.ofSeconds(10)).until(() -> robotState().equals("idle")
                && !system.relayHasStream());
        assertFalse(page().findElement(By.id("viewer")).isDisplayed(), "the view stays open after Stop");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> robotState().equals("idle"));
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

    @Test
    void goLive_resumesOverWebRtc_whenRobotStopsUnderTheView() throws Exception {
        signIn(VigilSystem.VIEWER, VigilSystem.VIEWER_PASSWORD);
        await().atMost(Duration.ofSeconds(15)).until(() -> !page().findElements(ROBOT_ROW).isEmpty());
        assertEquals("idle", robotState());
        goLive();
        awaitVideoPlays();
        await().atMost(Duration.ofSeconds(5)).until(() -> viewState().equals("live · WebRTC"));

        assertEquals(202, system.send("POST", "/robots/default/stream/stop").statusCode());
        await("the page sees the stream end").atMost(Duration.ofSeconds(10))
                .until(() -> viewState().startsWith("retrying: the robot stopped") || viewState().startsWith("starting"));
        await("the bridge starts the robot again for the open view, and the page plays it over WebRTC")
                .atMost(Duration.ofSeconds(30)).until(() -> viewState().equals("live · WebRTC"));
        awaitVideoPlays();
        assertEquals(1, system.relay().readers(VigilSystem.PATH), "the old WebRTC session is still a reader");
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
        for (final String credential : new String[] {"", "lease:not-a-live-lease",
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
        for (final String query : new String[] {"", "?lease=not-a-live-lease"}) {
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
        assertEquals(202, system.send("POST", "/robots/default/stream/start").statusCode());
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
