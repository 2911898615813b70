package dev.vigil.bridge.view;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.RecordingSink;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.config.ViewSettings;
import dev.vigil.protocol.Command;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ViewLeasesTest {

    private static final RobotSettings ROBOT = RobotSettings.of("r1", "robots/r1/stream", "live/r1", "default");

    private final RecordingSink sink = new RecordingSink();
    private final ViewLeases leases = new ViewLeases(new ViewSettings(Duration.ofMillis(1000), Duration.ofMillis(400),
            Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(50), 2,
            Duration.ofSeconds(10)), sink, Clock.systemUTC());

    @AfterEach
    void close() {
        leases.close();
    }

    private long count(final Command.Kind kind) {
        return sink.sent().stream().filter(s -> s.command().kind() == kind).count();
    }

    @Test
    void open_sendsLeasedStart_withTtlPlusMargin() throws Exception {
        leases.open(ROBOT);
        assertEquals(new Command(Command.Kind.START, Duration.ofMillis(1400), null), sink.sent().get(0).command());
    }

    @Test
    void openLease_renewsStart_whileRenewed() throws Exception {
        final Lease lease = leases.open(ROBOT);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(2500)).until(() -> {
            leases.renew("r1", lease.id());
            return count(Command.Kind.STOP) == 0;
        });
        assertTrue(count(Command.Kind.START) >= 4, "starts sent: " + count(Command.Kind.START));
    }

    @Test
    void release_stopsAfterLinger_whenLastViewEnds() throws Exception {
        final Lease a = leases.open(ROBOT);
        final Lease b = leases.open(ROBOT);
        assertEquals(1, count(Command.Kind.START));
        assertTrue(leases.release("r1", a.id()));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(800)).until(() -> count(Command.Kind.STOP) == 0);
        assertTrue(leases.release("r1", b.id()));
        await().atMost(Duration.ofSeconds(2)).until(() -> count(Command.Kind.STOP) == 1);
        assertEquals(0, leases.count("r1"));
    }

    @Test
    void newView_cancelsPendingStop_withinLinger() throws Exception {
        leases.release("r1", leases.open(ROBOT).id());
        leases.open(ROBOT);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofMillis(900)).until(() -> count(Command.Kind.STOP) == 0);
    }

    @Test
    void unrenewedLease_expiresAndStopsRobot() throws Exception {
        final Lease lease = leases.open(ROBOT);
        await().atMost(Duration.ofSeconds(3)).until(() -> count(Command.Kind.STOP) == 1);
        assertFalse(leases.isLive("r1", lease.id()));
        assertTrue(leases.renew("r1", lease.id()).isEmpty());
    }

    @Test
    void open_refuses_pastMaxPerRobot() throws Exception {
        leases.open(ROBOT);
        leases.open(ROBOT);
        assertThrows(TooManyViewsException.class, () -> leases.open(ROBOT));
    }
}
