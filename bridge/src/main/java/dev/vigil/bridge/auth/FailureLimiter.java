package dev.vigil.bridge.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per client address. After {@code maxFailures} within a window the
 * address is refused until the window ends.
 */
public final class FailureLimiter {

    private static final int MAX_TRACKED = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Creates a limiter. */
    public FailureLimiter(final int maxFailures, final Duration window, final Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code address} must wait, when it is blocked now. */
    public Optional<Duration> blockedFor(final String address) {
        final Window w = windows.get(address);
        if (w == null) {
            return Optional.empty();
        }
        final Instant now = clock.instant();
        if (!now.isBefore(w.end)) {
            windows.remove(address, w);
            return Optional.empty();
        }
        return w.failures >= maxFailures ? Optional.of(Duration.between(now, w.end)) : Optional.empty();
    }

    /** Records a failed attempt from {@code address}. */
    public void failed(final String address) {
        if (windows.size() >= MAX_TRACKED) {
            final Instant now = clock.instant();
            windows.values().removeIf(w -> !now.isBefore(w.end));
        }
        final Instant now = clock.instant();
        windows.compute(address, (a, w) -> w == null || !now.isBefore(w.end)
                ? new Window(now.plus(window), 1) : new Window(w.end, w.failures + 1));
    }

    /** Forgets the failures of {@code address} after it authenticated. */
    public void succeeded(final String address) {
        if (!windows.isEmpty()) {
            windows.remove(address);
        }
    }

    private record Window(Instant end, int failures) {
    }
}
