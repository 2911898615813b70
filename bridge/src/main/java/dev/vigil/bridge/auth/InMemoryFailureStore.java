package dev.vigil.bridge.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link FailureStore} in this process's memory, at most {@value #MAX_TRACKED} keys (quiet ones are dropped first). */
public final class InMemoryFailureStore implements FailureStore {

    static final int MAX_TRACKED = 20_000;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    @Override
    public Optional<Failures> get(final String key, final Instant now, final Duration window) {
        final Failures found = failures.get(key);
        return found == null || quiet(found, now, window) ? Optional.empty() : Optional.of(found);
    }

    @Override
    public Failures add(final String key, final Instant now, final Duration window) {
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(f -> quiet(f, now, window));
            if (failures.size() >= MAX_TRACKED) {
                // A flood of distinct keys: forget the oldest half rather than grow without bound.
                final Instant median = failures.values().stream().map(Failures::last).sorted()
                        .skip(failures.size() / 2L).findFirst().orElse(now);
                failures.values().removeIf(f -> f.last().isBefore(median));
            }
        }
        return failures.compute(key, (k, old) -> old == null || quiet(old, now, window)
                ? new Failures(1, now) : new Failures(old.count() + 1, now));
    }

    @Override
    public void clear(final String key) {
        failures.remove(key);
    }

    private static boolean quiet(final Failures f, final Instant now, final Duration window) {
        return !now.isBefore(f.last().plus(window));
    }
}
