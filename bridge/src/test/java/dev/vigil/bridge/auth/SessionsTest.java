package dev.vigil.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.config.SessionSettings;
import dev.vigil.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private static final Principal VERA = new Principal("vera", Role.VIEWER, Principal.Kind.USER, 5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemorySessionStore store = new InMemorySessionStore();
    private final Sessions sessions = new Sessions(store, new SessionSettings(Duration.ofMinutes(30), Duration.ofHours(2), true), clock);

    @Test
    void session_slidesWithUse_untilItsMaximumAge() {
        final String token = sessions.create(VERA).orElseThrow().token();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(25));
            assertTrue(sessions.use(token).isPresent(), "ended while in use, after " + (i + 1) * 25 + " min");
        }
        clock.advance(Duration.ofMinutes(25));
        assertTrue(sessions.use(token).isEmpty(), "outlived its maximum age");
    }

    @Test
    void session_endsAfterIdleTimeout_andOnRevoke() {
        final String idle = sessions.create(VERA).orElseThrow().token();
        final String revoked = sessions.create(VERA).orElseThrow().token();
        assertNotEquals(idle, revoked);
        assertTrue(sessions.revoke(revoked));
        assertFalse(sessions.isLive(revoked));
        clock.advance(Duration.ofMinutes(31));
        assertTrue(sessions.use(idle).isEmpty());
    }

    @Test
    void store_keepsOnlyTheTokensHash() {
        final String token = sessions.create(VERA).orElseThrow().token();
        assertTrue(store.get(SecretHash.sha256(token)).isPresent());
        assertTrue(store.get(token).isEmpty(), "the raw token is a key of the store");
    }
}
