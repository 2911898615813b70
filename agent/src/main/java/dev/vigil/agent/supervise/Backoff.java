package dev.vigil.agent.supervise;

import java.time.Duration;
import java.util.Random;

/** Exponential backoff with jitter: {@code min(initial * 2^attempts, max) * (1 ± jitter)}. */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final Random random;
    private int attempts;

    Backoff(final Duration initial, final Duration max, final double jitter, final Random random) {
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the base up to the maximum. */
    Duration next() {
        final double base = Math.min(initial.toMillis() * Math.pow(2, Math.min(attempts, 30)), max.toMillis());
        attempts++;
        final double factor = 1 + (random.nextDouble() * 2 - 1) * jitter;
        return Duration.ofMillis(Math.round(base * factor));
    }

    /** Starts again from the initial delay. */
    void reset() {
        attempts = 0;
    }

    /** Delays handed out since the last reset. */
    int attempts() {
        return attempts;
    }
}
