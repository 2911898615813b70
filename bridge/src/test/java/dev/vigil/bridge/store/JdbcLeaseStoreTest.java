package dev.vigil.bridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.bridge.view.Lease;
import dev.vigil.bridge.view.LeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared lease store's claims: two bridges (two pools on one database) racing, exactly one wins. */
class JdbcLeaseStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Database one = Database.open(TestConfigs.settings("").database());
    private final Database two = Database.open(new dev.vigil.bridge.config.DatabaseSettings(one.describe(), "", "", 2,
            Duration.ofSeconds(5), Duration.ofSeconds(1)));
    private final JdbcLeaseStore a = new JdbcLeaseStore(one);
    private final JdbcLeaseStore b = new JdbcLeaseStore(two);

    @AfterEach
    void close() {
        one.close();
        two.close();
    }

    private static Lease lease(final String id, final Instant until) {
        return new Lease(id, "r1", "user:vera", "sha256$" + "0".repeat(64), until, Duration.ofSeconds(30));
    }

    @Test
    void claimStart_isWonByOneBridge_untilTheNextIsDue() {
        assertTrue(a.claimStart("r1", T0, T0.plusSeconds(10)));
        assertFalse(b.claimStart("r1", T0.plusSeconds(1), T0.plusSeconds(11)), "not due yet");
        assertTrue(b.claimStart("r1", T0.plusSeconds(10), T0.plusSeconds(20)), "due: the other bridge sends it");
        assertFalse(a.claimStart("r1", T0.plusSeconds(10), T0.plusSeconds(20)), "already claimed");
        assertEquals(T0.plusSeconds(20), a.watched().get("r1").startDue());
    }

    @Test
    void stop_isScheduledOnce_claimedOnceDue_andOnlyWithoutLiveLeases() {
        a.put(lease("l1", T0.plusSeconds(5)));
        assertTrue(a.claimStart("r1", T0, T0.plusSeconds(10)));
        assertEquals(Optional.of(T0.plusSeconds(3)), a.scheduleStop("r1", T0.plusSeconds(3)));
        assertEquals(Optional.of(T0.plusSeconds(3)), b.scheduleStop("r1", T0.plusSeconds(4)), "the first time holds");
        assertFalse(b.claimStop("r1", T0.plusSeconds(3)), "a lease still lives");
        assertEquals(1, b.removeExpired(T0.plusSeconds(5)).size());
        assertEquals(0, a.removeExpired(T0.plusSeconds(5)).size(), "removed once");
        assertTrue(b.claimStop("r1", T0.plusSeconds(5)));
        assertFalse(a.claimStop("r1", T0.plusSeconds(5)), "stopped once");
        assertTrue(a.watched().isEmpty());
        assertEquals(Optional.empty(), a.scheduleStop("r1", T0.plusSeconds(6)), "not watched any more");
    }

    @Test
    void claimStart_cancelsAPendingStop() {
        assertTrue(a.claimStart("r1", T0, T0.plusSeconds(10)));
        a.scheduleStop("r1", T0.plusSeconds(3));
        assertFalse(b.claimStart("r1", T0.plusSeconds(1), T0.plusSeconds(11)));
        assertEquals(null, a.watched().get("r1").stopAt());
        assertFalse(a.claimStop("r1", T0.plusSeconds(4)));
    }

    @Test
    void leases_putRenewCountAndFindByKey_acrossBridges() {
        final LeaseStore store = a;
        store.put(lease("l1", T0.plusSeconds(30)));
        b.put(lease("l1", T0.plusSeconds(60)).renewedUntil(T0.plusSeconds(60)));
        assertEquals(T0.plusSeconds(60), a.get("r1", "l1").orElseThrow().until());
        assertEquals(1, b.countByRobot("r1"));
        assertEquals(1, b.countByOwner("user:vera"));
        assertEquals(1, a.counts().get("r1"));
        assertTrue(b.byKeyHash("r1", "sha256$" + "0".repeat(64)).isPresent());
        assertTrue(b.remove("r1", "l1"));
        assertFalse(a.remove("r1", "l1"));
    }
}
