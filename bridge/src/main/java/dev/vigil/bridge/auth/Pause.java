package dev.vigil.bridge.auth;

import java.time.Duration;

/** Holds a refusal back (the throttle's delay); tests record instead of sleeping. */
@FunctionalInterface
public interface Pause {

    /** Sleeps on the calling (virtual) thread. */
    Pause SLEEP = duration -> {
        try {
            Thread.sleep(duration);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    /** Waits {@code duration} (nothing for zero). */
    void pause(Duration duration);
}
