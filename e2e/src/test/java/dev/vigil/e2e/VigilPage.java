package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.openqa.selenium.By;

/** The page's own steps for the small browser tests: sign in, wait for the robot, Go Live. */
final class VigilPage {

    static final By ROBOT_ROW = By.cssSelector("#robots li[data-robot='default']");
    static final String VIDEO = "return document.getElementById('video')";

    private VigilPage() {
    }

    /** Opens the page, signs in as the viewer and waits for the default robot's row. */
    static void signInAsViewer(final Browser browser, final VigilSystem system) {
        browser.driver().get(system.appUrl());
        browser.driver().findElement(By.id("user")).sendKeys(VigilSystem.VIEWER);
        browser.driver().findElement(By.id("password")).sendKeys(VigilSystem.VIEWER_PASSWORD);
        browser.driver().findElement(By.id("sign-in-button")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> !browser.driver().findElements(ROBOT_ROW).isEmpty());
    }

    /** Clicks Go Live with the recorders in place and waits until the video has played a second. */
    static void goLiveAndPlay(final Browser browser) {
        GoLiveRecorder.install(browser);
        browser.driver().findElement(ROBOT_ROW).findElement(By.cssSelector(".go-live")).click();
        await("the video plays").atMost(Duration.ofSeconds(40)).until(() -> browser.number(VIDEO + ".currentTime") > 1.0);
    }

    static String viewState(final Browser browser) {
        return browser.driver().findElement(By.id("view-state")).getText();
    }
}
