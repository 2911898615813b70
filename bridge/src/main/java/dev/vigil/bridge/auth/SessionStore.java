package dev.vigil.bridge.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * The web page's sessions, keyed by a SHA-256 of their token (the token itself is never stored).
 * In memory here ({@link InMemorySessionStore}); several bridges would share one in a database.
 */
public interface SessionStore {

    /**
     * One signed-in session.
     *
     * @param principal who signed in
     * @param created   when
     * @param expires   when it ends unless used again (never after {@code created} + the maximum age)
     */
    record Session(Principal principal, Instant created, Instant expires) {
    }

    /** Keeps {@code session} under {@code tokenHash}. */
    void put(String tokenHash, Session session);

    /** The session under {@code tokenHash}, expired or not. */
    Optional<Session> get(String tokenHash);

    /** Ends the session under {@code tokenHash}; false when there was none. */
    boolean remove(String tokenHash);

    /** Ends every session that expired before {@code now}; answers how many. */
    int removeExpired(Instant now);

    /** How many sessions are kept. */
    int size();
}
