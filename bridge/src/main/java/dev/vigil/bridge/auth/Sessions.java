package dev.vigil.bridge.auth;

import dev.vigil.bridge.config.SessionSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Issues, checks and revokes session tokens: 32 random bytes (base64url), kept only as their
 * SHA-256. A session slides by the idle timeout on each use, up to its maximum age.
 */
public final class Sessions {

    /** Stop taking new sessions beyond this many live ones (a flood of sign-ins). */
    static final int MAX_SESSIONS = 50_000;
    /** Expired sessions are swept when a sign-in finds more than this many. */
    private static final int SWEEP_ABOVE = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionStore store;
    private final SessionSettings settings;
    private final Clock clock;

    /** Creates the sessions over {@code store}. */
    public Sessions(final SessionStore store, final SessionSettings settings, final Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** A new session for {@code principal}: its token (to hand out once) and the session. */
    public Optional<Issued> create(final Principal principal) {
        final Instant now = clock.instant();
        if (store.size() >= SWEEP_ABOVE) {
            store.removeExpired(now);
        }
        if (store.size() >= MAX_SESSIONS) {
            return Optional.empty();
        }
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        final String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        final SessionStore.Session session = new SessionStore.Session(principal, now, expiry(now, now));
        store.put(SecretHash.sha256(token), session);
        return Optional.of(new Issued(token, session));
    }

    /** The live session of {@code token}, extended by this use; empty when unknown, expired or revoked. */
    public Optional<SessionStore.Session> use(final String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        final String key = SecretHash.sha256(token);
        final Optional<SessionStore.Session> found = store.get(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        final Instant now = clock.instant();
        if (!now.isBefore(found.get().expires())) {
            store.remove(key);
            return Optional.empty();
        }
        final SessionStore.Session extended = new SessionStore.Session(found.get().principal(), found.get().created(),
                expiry(found.get().created(), now));
        store.put(key, extended);
        return Optional.of(extended);
    }

    /** Whether {@code token} names a live session, without extending it. */
    public boolean isLive(final String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return false;
        }
        return store.get(SecretHash.sha256(token)).filter(s -> clock.instant().isBefore(s.expires())).isPresent();
    }

    /** Ends the session of {@code token}; false when there was none. */
    public boolean revoke(final String token) {
        return token != null && !token.isEmpty() && store.remove(SecretHash.sha256(token));
    }

    private Instant expiry(final Instant created, final Instant now) {
        final Instant idle = now.plus(settings.idleTimeout());
        final Instant max = created.plus(settings.maxAge());
        return idle.isBefore(max) ? idle : max;
    }

    /**
     * A session just issued.
     *
     * @param token   the secret to give the browser (in a cookie); never logged or stored
     * @param session the session
     */
    public record Issued(String token, SessionStore.Session session) {
        @Override
        public String toString() {
            return "Issued[session=" + session + "]";
        }
    }
}
