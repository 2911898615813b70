package dev.vigil.bridge.record;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.RecordingSink;
import dev.vigil.bridge.TestConfigs;
import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RecordingSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.store.Database;
import dev.vigil.bridge.store.JdbcLeaseStore;
import dev.vigil.bridge.store.JdbcRecordingStore;
import dev.vigil.bridge.view.ViewLeases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two bridges on one registry database (SQLite) share the running recordings: either one shows and
 * stops a recording the other started, a bridge that restarts leaves it on, and one that dies
 * leaves its end and its lease's renewal to the other. The relay and the robot are fakes.
 */
class SharedRecordingsTest {

    private static final BridgeSettings SETTINGS = TestConfigs.settings(
            "vigil.bridge.views { ttl = 1s, agent-lease-margin = 1s, renew-every = 300ms, linger = 500ms, sweep-every = 100ms }");
    private static final RobotSettings ROBOT = SETTINGS.robot("default").orElseThrow();
    private static final Principal OTTO = new Principal("otto", Role.OPERATOR, Principal.Kind.USER, 5);

    private final Database db = Database.open(SETTINGS.database());
    private final SwitchingRelay relay = new SwitchingRelay();
    private final List<String> switched = relay.switched;
    private final List<AutoCloseable> bridges = new ArrayList<>();

    /** One bridge's view leases and recordings, on the shared database. */
    private record Node(ViewLeases leases, Recordings recordings) {
    }

    private Node bridge() {
        final RobotRegistry registry = new RobotRegistry(SETTINGS.robots().values(), Clock.systemUTC());
        registry.accept("robot/stream/availability", "online".getBytes(StandardCharsets.UTF_8));
        final ViewLeases leases = new ViewLeases(SETTINGS.views(), new RecordingSink(), Clock.systemUTC(),
                new JdbcLeaseStore(db), id -> registry.status(id).hold(), SETTINGS::robot);
        final Recordings recordings = new Recordings(new RecordingSettings(true, "http://127.0.0.1:2",
                Duration.ofMinutes(30), "", 0, Duration.ofSeconds(10)), relay, leases, registry, new JdbcRecordingStore(db),
                SETTINGS::robot, SETTINGS.views().renewEvery(), Clock.systemUTC(), dir -> Long.MAX_VALUE);
        bridges.add(recordings);
        bridges.add(leases);
        return new Node(leases, recordings);
    }

    @AfterEach
    void close() throws Exception {
        for (final AutoCloseable bridge : bridges) {
            bridge.close();
        }
        db.close();
    }

    @Test
    void aRecordingStartedThroughOneBridge_isShownAndStoppedThroughTheOther() throws Exception {
        final Node a = bridge();
        final Node b = bridge();
        final Recordings.Active active = a.recordings().start(ROBOT, Duration.ofMinutes(5), OTTO);
        assertEquals(active.until().toEpochMilli(), b.recordings().active("default").orElseThrow().until().toEpochMilli());
        assertTrue(b.recordings().stop(ROBOT, "stopped by otto"), "the other bridge did not know the recording");
        assertEquals(List.of("live/stream on", "live/stream off"), switched);
        assertTrue(a.recordings().active("default").isEmpty());
        assertEquals(Recordings.Cause.STOPPED, a.recordings().stopped("default").orElseThrow().cause(),
                "the first bridge says how it ended");
        assertEquals(0, b.leases().count("default"), "the recording's view lease is let go");
        await().atMost(Duration.ofSeconds(2)).until(() -> a.leases().count("default") == 0);
    }

    @Test
    void aBridgeThatRestarts_leavesTheRecordingOn_andTheOtherEndsIt_whenTheFirstIsGone() throws Exception {
        final Node a = bridge();
        a.recordings().start(ROBOT, Duration.ofSeconds(3), OTTO);
        final Node restarted = bridge();
        restarted.recordings().resetInBackground(List.of(ROBOT));
        a.recordings().close();
        a.leases().close();
        // Longer than the lease's TTL (1 s): only the other bridge renews it now.
        await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(3)).until(() ->
                restarted.leases().count("default") == 1 && restarted.recordings().active("default").isPresent());
        assertEquals(List.of("live/stream on"), switched, "a starting bridge switched a running recording off");
        await().atMost(Duration.ofSeconds(3)).until(() -> restarted.recordings().active("default").isEmpty());
        assertEquals(List.of("live/stream on", "live/stream off"), switched);
        // The recording is marked ended first, then its lease let go: the count follows a moment later.
        await().atMost(Duration.ofSeconds(2)).until(() -> restarted.leases().count("default") == 0);
        assertEquals(Recordings.Cause.OVER, restarted.recordings().stopped("default").orElseThrow().cause());
    }

    @Test
    void aRecordingWhoseLeaseWasRevoked_ends() throws Exception {
        final Node a = bridge();
        final Node b = bridge();
        a.recordings().start(ROBOT, Duration.ofMinutes(5), OTTO);
        assertEquals(1, b.leases().revokeAll("default"), "an operator's stop through the other bridge");
        await().atMost(Duration.ofSeconds(3)).until(() -> a.recordings().active("default").isEmpty());
        // Both bridges sweep, so both may switch it off (the same switch twice is harmless); never on again.
        assertEquals(List.of("live/stream on", "live/stream off"), switched.stream().distinct().toList());
        assertEquals("live/stream off", switched.get(switched.size() - 1));
    }
}
