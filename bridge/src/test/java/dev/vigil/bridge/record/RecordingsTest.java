package dev.vigil.bridge.record;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.RecordingSink;
import dev.vigil.bridge.TestConfigs;
import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RecordingSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.view.InMemoryLeaseStore;
import dev.vigil.bridge.view.ViewLeases;
import dev.vigil.protocol.Command;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recording's rules with a fake relay and a fake disk: the lease, the switch, the end, the disk running low. */
class RecordingsTest {

    private static final BridgeSettings SETTINGS = TestConfigs.settings("");
    private static final RobotSettings ROBOT = SETTINGS.robot("default").orElseThrow();

    private static final Principal OTTO = new Principal("otto", Role.OPERATOR, Principal.Kind.USER, 5);

    private final AtomicLong free = new AtomicLong(10L << 30);
    private final RecordingSink sink = new RecordingSink();
    private final RobotRegistry registry = new RobotRegistry(SETTINGS.robots().values(), Clock.systemUTC());
    private final ViewLeases leases = new ViewLeases(SETTINGS.views(), sink, Clock.systemUTC(), new InMemoryLeaseStore(),
            id -> registry.status(id).hold(), SETTINGS::robot);
    private final SwitchingRelay relay = new SwitchingRelay();
    private final List<String> switched = relay.switched;
    private final Recordings recordings = new Recordings(new RecordingSettings(true, "http://127.0.0.1:2",
            Duration.ofMinutes(30), "/recordings", 1L << 30, Duration.ofMillis(100)), relay, leases, registry,
            new InMemoryRecordingStore(), SETTINGS::robot, Duration.ofMillis(200), Clock.systemUTC(), dir -> free.get());

    @AfterEach
    void close() {
        recordings.close();
        leases.close();
    }

    private void online() {
        registry.accept("robot/stream/availability", "online".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void start_holdsAViewLease_switchesRecordingOn_andItsEndSwitchesItOff() throws Exception {
        online();
        final Recordings.Active active = recordings.start(ROBOT, Duration.ofMillis(600), OTTO);
        assertEquals(List.of("live/stream on"), switched);
        assertEquals(1, leases.count("default"));
        assertTrue(sink.sent().stream().anyMatch(s -> s.command().kind() == Command.Kind.START), "the robot is asked to stream");
        assertEquals(active, recordings.active("default").orElseThrow());
        await().atMost(Duration.ofSeconds(5)).until(() -> recordings.active("default").isEmpty());
        assertEquals(List.of("live/stream on", "live/stream off"), switched);
        await().atMost(Duration.ofSeconds(2)).until(() -> leases.count("default") == 0); // let go just after the end
        assertEquals(Recordings.Cause.OVER, recordings.stopped("default").orElseThrow().cause());
    }

    @Test
    void aViewerLeaving_duringARecording_letsGoOfNothing() throws Exception {
        online();
        recordings.start(ROBOT, Duration.ofMinutes(10), OTTO);
        final Principal vera = new Principal("vera", Role.VIEWER, Principal.Kind.USER, 5);
        leases.release("default", leases.open(ROBOT, vera).lease().id(), vera);
        await().during(SETTINGS.views().linger().plusMillis(500)).atMost(SETTINGS.views().linger().plusSeconds(2))
                .until(() -> sink.sent().stream().noneMatch(s -> s.command().kind() == Command.Kind.STOP));
        assertEquals(1, leases.count("default"), "the recording's own view lease holds the robot");
    }

    @Test
    void aRunningRecording_isStopped_whenTheDiskRunsLow_andNoneStartsThen() throws Exception {
        online();
        recordings.start(ROBOT, Duration.ofMinutes(10), OTTO);
        free.set(10L << 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> recordings.active("default").isEmpty());
        assertEquals(List.of("live/stream on", "live/stream off"), switched);
        final RecordingRefusedException refused = assertThrows(RecordingRefusedException.class,
                () -> recordings.start(ROBOT, Duration.ofMinutes(1), OTTO));
        assertEquals(RecordingRefusedException.Reason.DISK_FULL, refused.reason());
        assertEquals("the relay's recording disk (/recordings) has only 10 MiB free, less than the 1.0 GiB a recording needs",
                refused.getMessage());
        final Recordings.Stopped stopped = recordings.stopped("default").orElseThrow();
        assertEquals(Recordings.Cause.DISK_FULL, stopped.cause());
        assertEquals(refused.getMessage(), stopped.reason(), "the state says why the recording ended");
    }

    @Test
    void aRunningRecording_isStopped_whenTheDiskIsFull_andTheStateSaysSo() throws Exception {
        online();
        recordings.start(ROBOT, Duration.ofMinutes(10), OTTO);
        free.set(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> recordings.active("default").isEmpty());
        assertEquals("the relay's recording disk (/recordings) is full, less than the 1.0 GiB a recording needs",
                recordings.stopped("default").orElseThrow().reason());
        free.set(10L << 30);
        recordings.start(ROBOT, Duration.ofMinutes(1), OTTO);
        assertTrue(recordings.stopped("default").isEmpty(), "a running recording has no end yet");
    }

    @Test
    void size_saysBytesInTheLargestWholeUnit() {
        assertEquals("512 bytes", Recordings.size(512));
        assertEquals("16 KiB", Recordings.size(16 * 1024 + 5));
        assertEquals("3 MiB", Recordings.size((3L << 20) + 1));
        assertEquals("1.5 GiB", Recordings.size(3L << 29));
    }

    @Test
    void start_isRefused_forARobotAnOperatorHolds() {
        online();
        registry.accept("robot/stream/control", new dev.vigil.protocol.ControlMessage(dev.vigil.protocol.Hold.PRIVACY, "otto",
                Instant.now()).toJson());
        final RecordingRefusedException held = assertThrows(RecordingRefusedException.class,
                () -> recordings.start(ROBOT, Duration.ofMinutes(1), OTTO));
        assertEquals(RecordingRefusedException.Reason.HELD, held.reason());
        assertTrue(switched.isEmpty());
    }

    @Test
    void start_isRefused_forARobotThatIsNotOnline_andNothingIsSwitched() {
        final RecordingRefusedException unknown = assertThrows(RecordingRefusedException.class,
                () -> recordings.start(ROBOT, Duration.ofMinutes(1), OTTO));
        assertEquals(RecordingRefusedException.Reason.OFFLINE, unknown.reason());
        registry.accept("robot/stream/availability", "offline".getBytes(StandardCharsets.UTF_8));
        final RecordingRefusedException offline = assertThrows(RecordingRefusedException.class,
                () -> recordings.start(ROBOT, Duration.ofMinutes(1), OTTO));
        assertEquals("robot default is offline: it cannot stream, so nothing can be recorded", offline.getMessage());
        assertTrue(switched.isEmpty());
        assertEquals(0, leases.count("default"));
    }
}
