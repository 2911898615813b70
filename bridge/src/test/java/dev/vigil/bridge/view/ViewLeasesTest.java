package dev.vigil.bridge.view;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.RecordingSink;
import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.config.ViewSettings;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.Hold;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The view leases over the in-memory store; {@code JdbcViewLeasesTest} runs the same over the database's. */
class ViewLeasesTest {

    private static final RobotSettings ROBOT = RobotSettings.of("r1", "robots/r1/stream", "live/r1", "default");
    private static final RobotSettings OTHER = RobotSettings.of("r2", "robots/r2/stream", "live/r2", "default");
    private static final Principal VERA = new Principal("vera", Role.VIEWER, Principal.Kind.USER, 2);
    private static final Principal VIC = new Principal("vic", Role.VIEWER, Principal.Kind.USER, 2);
    private static final Principal OTTO = new Principal("otto", Role.OPERATOR, Principal.Kind.USER, 2);

    private final RecordingSink sink = new RecordingSink();
    private final AtomicReference<Hold> hold = new AtomicReference<>(Hold.NONE);
    private final ViewLeases leases = new ViewLeases(new ViewSettings(Duration.ofMillis(1000), Duration.ofMillis(400),
            Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(50), 3, 2,
            Duration.ofSeconds(10)), sink, Clock.systemUTC(), store(), id -> hold.get(),
            id -> java.util.Optional.of(id.equals(OTHER.id()) ? OTHER : ROBOT));

    /** The store under test. */
    LeaseStore store() {
        return new InMemoryLeaseStore();
    }

    @AfterEach
    void close() {
        leases.close();
    }

    private long count(final Command.Kind kind) {
        return sink.sent().stream().filter(s -> s.command().kind() == kind).count();
    }

    @Test
    void open_sendsLeasedStart_withTtlPlusMargin() throws Exception {
        leases.open(ROBOT, VERA);
        assertEquals(new Command(Command.Kind.START, Duration.ofMillis(1400), null, Command.VIEWS), sink.sent().get(0).command());
    }

    @Test
    void open_answersKeyThatIsTheRelayCredential_andIdThatIsNot() throws Exception {
        final OpenedLease opened = leases.open(ROBOT, VERA);
        assertNotEquals(opened.lease().id(), opened.key());
        assertTrue(leases.isLiveKey("r1", opened.key()));
        assertFalse(leases.isLiveKey("r1", opened.lease().id()), "the lease id works as a relay credential");
        assertFalse(leases.isLiveKey("r2", opened.key()), "a key of r1 works for r2");
        assertFalse(opened.toString().contains(opened.key()), "the key would reach a log through toString");
    }

    @Test
    void openLease_renewsStart_whileRenewed() throws Exception {
        final Lease lease = leases.open(ROBOT, VERA).lease();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(2500)).until(() -> {
            leases.renew("r1", lease.id(), VERA);
            return count(Command.Kind.STOP) == 0;
        });
        assertTrue(count(Command.Kind.START) >= 4, "starts sent: " + count(Command.Kind.START));
    }

    @Test
    void renewAndRelease_refused_forSomeoneElsesLease_butNotForAnOperator() throws Exception {
        final Lease lease = leases.open(ROBOT, VERA).lease();
        assertTrue(leases.renew("r1", lease.id(), VIC).isEmpty(), "another viewer renewed it");
        assertFalse(leases.release("r1", lease.id(), VIC), "another viewer released it");
        assertEquals(1, leases.count("r1"));
        assertTrue(leases.renew("r1", lease.id(), OTTO).isPresent(), "an operator may renew any lease");
        assertTrue(leases.release("r1", lease.id(), OTTO), "an operator may release any lease");
    }

    @Test
    void open_refuses_pastPerUserCap_whileOthersMayStillOpen() throws Exception {
        leases.open(ROBOT, VERA);
        leases.open(OTHER, VERA);
        final TooManyViewsException refused = assertThrows(TooManyViewsException.class, () -> leases.open(ROBOT, VERA));
        assertTrue(refused.getMessage().contains("at most 2"), refused.getMessage());
        leases.open(ROBOT, OTTO);
    }

    @Test
    void release_stopsAfterLinger_whenLastViewEnds() throws Exception {
        final Lease a = leases.open(ROBOT, VERA).lease();
        final Lease b = leases.open(ROBOT, VIC).lease();
        assertEquals(1, count(Command.Kind.START));
        assertTrue(leases.release("r1", a.id(), VERA));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(800)).until(() -> count(Command.Kind.STOP) == 0);
        assertTrue(leases.release("r1", b.id(), VIC));
        assertTrue(leases.stopsAt("r1").isPresent(), "the pending stop is not shown");
        await().atMost(Duration.ofSeconds(2)).until(() -> count(Command.Kind.STOP) == 1);
        assertEquals(Command.release(Command.VIEWS), sink.sent().get(sink.sent().size() - 1).command(),
                "only the views' lease is let go of: a stream that motion or a person holds goes on");
        assertEquals(0, leases.count("r1"));
        assertTrue(leases.stopsAt("r1").isEmpty());
    }

    @Test
    void newView_cancelsPendingStop_withinLinger() throws Exception {
        leases.release("r1", leases.open(ROBOT, VERA).lease().id(), VERA);
        leases.open(ROBOT, VERA);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofMillis(900)).until(() -> count(Command.Kind.STOP) == 0);
    }

    @Test
    void unrenewedLease_expiresAndStopsRobot() throws Exception {
        final OpenedLease opened = leases.open(ROBOT, VERA);
        await().atMost(Duration.ofSeconds(3)).until(() -> count(Command.Kind.STOP) == 1);
        assertFalse(leases.isLiveKey("r1", opened.key()));
        assertTrue(leases.renew("r1", opened.lease().id(), VERA).isEmpty());
    }

    @Test
    void open_refuses_pastMaxPerRobot() throws Exception {
        leases.open(ROBOT, VERA);
        leases.open(ROBOT, VIC);
        leases.open(ROBOT, OTTO);
        assertThrows(TooManyViewsException.class, () -> leases.open(ROBOT, OTTO));
    }

    @Test
    void hold_refusesOpen_andRevokeAllEndsViewsWithoutLingerStop() throws Exception {
        final List<String> changed = new ArrayList<>();
        leases.addListener(changed::add);
        final OpenedLease opened = leases.open(ROBOT, VERA);
        assertEquals(1, leases.revokeAll("r1"));
        assertFalse(leases.isLiveKey("r1", opened.key()));
        hold.set(Hold.PRIVACY);
        final RobotHeldException refused = assertThrows(RobotHeldException.class, () -> leases.open(ROBOT, VERA));
        assertEquals(Hold.PRIVACY, refused.hold());
        await().during(Duration.ofMillis(600)).atMost(Duration.ofMillis(900)).until(() -> count(Command.Kind.STOP) == 0);
        assertEquals(List.of("r1", "r1"), changed, "views changes are not told");
    }

    @Test
    void heldRobot_getsNoRenewedStart() throws Exception {
        final Lease lease = leases.open(ROBOT, VERA).lease();
        hold.set(Hold.STOPPED);
        final long starts = count(Command.Kind.START);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofMillis(1000)).until(() -> {
            leases.renew("r1", lease.id(), VERA);
            return count(Command.Kind.START) == starts;
        });
    }
}
