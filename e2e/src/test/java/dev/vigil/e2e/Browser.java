package dev.vigil.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (given explicitly, so Selenium
 * Manager downloads nothing), with a fresh profile that is deleted on close. WebRTC to MediaMTX on
 * loopback needs no flag: Chromium reaches MediaMTX's 127.0.0.1 host candidate from a loopback
 * socket, which MediaMTX sees as a peer-reflexive candidate.
 */
final class Browser implements AutoCloseable {

    /** What the browser cannot do, for the page's fallbacks. */
    enum Limit {
        /** A normal browser. */
        NONE,
        /** No {@code RTCPeerConnection} in any page of the first tab, like a browser without WebRTC. */
        NO_WEBRTC,
        /** WebRTC may not use UDP without a proxy (Chromium's own policy), like a network that drops UDP: ICE never connects. */
        UDP_BLOCKED
    }

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    private Browser(final ChromeDriverService service, final ChromeDriver driver, final Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start() throws IOException {
        return start(Limit.NONE);
    }

    static Browser start(final Limit limit) throws IOException {
        final Path profile = Files.createTempDirectory("vigil-chromium");
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile);
        if (limit == Limit.UDP_BLOCKED) {
            options.setExperimentalOption("prefs", Map.of("webrtc", Map.of("ip_handling_policy", "disable_non_proxied_udp")));
        }
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(Files.createDirectories(Path.of("target")).resolve("chromedriver-" + profile.getFileName() + ".log").toFile())
                .build();
        final ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        if (limit == Limit.NO_WEBRTC) {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    Map.of("source", "delete window.RTCPeerConnection; delete window.webkitRTCPeerConnection;"));
        }
        return new Browser(service, driver, profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves a PNG of the page to {@code target/screenshots/<name>.png} and returns its path. */
    Path screenshot(final String name) throws IOException {
        final Path file = Files.createDirectories(SCREENSHOTS).resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** Runs {@code script} (with {@code return}) in the page and answers its value as a double. */
    double number(final String script) {
        final Object value = driver.executeScript(script);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
