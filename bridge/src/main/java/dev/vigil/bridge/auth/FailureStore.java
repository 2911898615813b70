package dev.vigil.bridge.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Counts failed authentications under a key (an account or an address). In memory here
 * ({@link InMemoryFailureStore}); several bridges would share one in a database.
 */
public interface FailureStore {

    /**
     * The failures under one key.
     *
     * @param count failures since the key was last clear or quiet for a whole window
     * @param last  the latest of them
     */
    record Failures(int count, Instant last) {
    }

    /** The failures under {@code key}, unless none came within {@code window} before {@code now}. */
    Optional<Failures> get(String key, Instant now, Duration window);

    /** Adds a failure at {@code now} (counting from one again after a quiet {@code window}); answers the new count. */
    Failures add(String key, Instant now, Duration window);

    /** Forgets the failures under {@code key}. */
    void clear(String key);
}
