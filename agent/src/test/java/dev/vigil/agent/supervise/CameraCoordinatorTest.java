package dev.vigil.agent.supervise;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.agent.motion.MotionModeFile;
import dev.vigil.agent.motion.MotionPolicy;
import dev.vigil.agent.snapshot.SnapshotFiles;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.EventMessage;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The camera's hand-over with fake children: the stream (the supervisor's), the watcher and the
 * picture pipeline share one launcher, so the order of launches and signals shows who owns the camera.
 */
class CameraCoordinatorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String BEGIN = "Got message #53 from element \"motioncells0\" (element): motion, "
            + "motion_cells_indices=(string)\"3:4\\,3:5\\,4:4\", motion_begin=(guint64)201076177;";
    private static final String FINISHED = "Got message #90 from element \"motioncells0\" (element): motion, "
            + "motion_finished=(guint64)5201076177;";

    @TempDir
    Path tmp;

    private final FakeLauncher launcher = new FakeLauncher();
    private final List<EventMessage> events = new CopyOnWriteArrayList<>();
    private final List<StateMessage> states = new CopyOnWriteArrayList<>();
    private final List<String> specsMade = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService executor;
    private Supervisor supervisor;
    private CameraCoordinator camera;

    private final CameraSpecs specs = new CameraSpecs() {
        @Override
        public LaunchSpec watch() {
            specsMade.add("watch");
            return new LaunchSpec(List.of("gst-launch-1.0", "-e", "-m", "watch"), line -> line);
        }

        @Override
        public LaunchSpec still() {
            specsMade.add("still");
            return new LaunchSpec(List.of("gst-launch-1.0", "-e", "still"), line -> line);
        }

        @Override
        public boolean canWatch() {
            return true;
        }

        @Override
        public void motionBranch(final boolean on) {
            specsMade.add("motion-branch " + on);
        }

        @Override
        public void snapshotBranch(final boolean on) {
            specsMade.add("snapshot-branch " + on);
        }
    };

    private final CameraPublisher publisher = new CameraPublisher() {
        @Override
        public void event(final EventMessage event) {
            events.add(event);
        }

        @Override
        public void snapshot(final byte[] jpeg, final Instant taken, final String requestId) {
            // no pictures in this test
        }
    };

    @BeforeEach
    void start() {
        start(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(20));
    }

    private void start(final Duration startTimeout, final Duration stallTimeout, final Duration motionLease) {
        final SupervisorSettings settings = new SupervisorSettings("testsrc", Duration.ofMillis(50), Duration.ofMillis(200), 0.2,
                Duration.ofSeconds(60), 3, Duration.ofMinutes(2), startTimeout, Duration.ofMillis(50), stallTimeout,
                Duration.ofMillis(200), Duration.ofMillis(200), Duration.ZERO, tmp.resolve("gst.pid"), 2);
        executor = Executors.newSingleThreadScheduledExecutor();
        supervisor = new Supervisor(settings, () -> new LaunchSpec(List.of("gst-launch-1.0", "-e", "stream"), line -> line),
                launcher, Clock.systemUTC(), executor, state -> camera.streamState(state), signal -> camera.streamMotion(signal));
        camera = new CameraCoordinator(supervisor, specs, launcher, publisher, new SnapshotFiles(tmp.resolve("snaps"),
                Clock.systemUTC()), new MotionPolicy(Duration.ofSeconds(30), motionLease, Clock.systemUTC()),
                new MotionModeFile(tmp.resolve("motion.json")), true, settings, Duration.ofSeconds(3), Duration.ofSeconds(2),
                motionLease, executor, Clock.systemUTC());
        camera.publishStatesTo(states::add);
        camera.start();
        supervisor.start();
    }

    @AfterEach
    void stop() {
        camera.shutdown(Duration.ofSeconds(2));
        supervisor.shutdown(Duration.ofSeconds(2));
        executor.shutdownNow();
    }

    private String role(final FakeLauncher.FakeChild child) {
        return launcher.argvs.get(launcher.children.indexOf(child)).get(launcher.argvs.get(launcher.children.indexOf(child)).size() - 1);
    }

    @Test
    void idleWithMotionOn_runsTheWatcher_andTheStateSaysMotionOn() {
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        assertEquals("watch", role(launcher.last()));
        await().atMost(WAIT).until(() -> !states.isEmpty() && states.get(states.size() - 1).motion());
    }

    @Test
    void watcher_runsOnSilently_pastTheStreamsStartAndStallTimeouts() {
        stop();
        launcher.children.clear();
        launcher.argvs.clear();
        start(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(20));
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        final FakeLauncher.FakeChild watcher = launcher.last();
        watcher.print(FakeLauncher.PLAYING_MESSAGE);
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> watcher.isRunning() && watcher.signals.isEmpty());
        assertEquals(1, launcher.children.size());
    }

    @Test
    void start_stopsTheWatcherFirst_andLaunchesTheStreamOnlyOnceItIsGone() {
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        final FakeLauncher.FakeChild watcher = launcher.last();
        watcher.obeysTerminate = false;
        camera.command(Command.start());
        await().atMost(WAIT).until(() -> watcher.signals.contains("TERM"));
        assertEquals(1, launcher.children.size(), "the stream launched while the watcher still held the camera");
        await().atMost(WAIT).until(() -> watcher.signals.contains("KILL"));
        assertEquals(List.of("TERM", "KILL"), watcher.signals, "the watcher has no EOS to send: SIGTERM first, then SIGKILL");
        await().atMost(WAIT).until(() -> launcher.children.size() == 2);
        assertEquals("stream", role(launcher.last()));
        assertEquals(1, launcher.running());
    }

    @Test
    void motionSeenByTheWatcher_publishesOneEvent_andStartsALeasedStream_thenTheWatcherResumes() {
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().print(BEGIN);
        await().atMost(WAIT).until(() -> launcher.children.size() == 2);
        final FakeLauncher.FakeChild stream = launcher.last();
        assertEquals("stream", role(stream));
        assertEquals(1, events.size());
        assertEquals("motion-1", events.get(0).requestId());
        stream.playing();
        await().atMost(WAIT).until(() -> supervisor.current().state() == StreamState.STREAMING);
        assertEquals("motion-1", supervisor.current().requestId());
        assertTrue(supervisor.current().leaseUntil() != null);
        assertEquals(List.of(Command.MOTION), supervisor.current().leases(), "the stream is held in motion's name");

        camera.command(Command.stop());
        await().atMost(WAIT).until(() -> launcher.children.size() == 3);
        assertEquals("watch", role(launcher.last()));
        assertEquals(1, events.size(), "no second event");
    }

    @Test
    void viewersLeaving_leaveAStreamThatMotionStarted_andMotionOffEndsIt() {
        final FakeLauncher.FakeChild stream = streamStartedByMotion();
        camera.command(new Command(Command.Kind.START, Duration.ofSeconds(30), null, Command.VIEWS));
        await().atMost(WAIT).until(() -> supervisor.current().leases().equals(List.of(Command.MOTION, Command.VIEWS)));
        camera.command(Command.release(Command.VIEWS));
        await().atMost(WAIT).until(() -> supervisor.current().leases().equals(List.of(Command.MOTION)));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> supervisor.current().state() == StreamState.STREAMING);
        assertEquals(List.of(), stream.signals, "the viewers' stop left motion's stream alone");

        camera.command(Command.of(Command.Kind.MOTION_OFF));
        await().atMost(WAIT).until(() -> supervisor.current().state() == StreamState.IDLE);
        assertEquals(List.of("INT"), stream.signals);
    }

    @Test
    void motionGoingOnInTheStream_renewsMotionsLease_untilItEnds_thenTheStreamEndsALeaseLater() {
        stop();
        launcher.children.clear();
        launcher.argvs.clear();
        start(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(1200));
        final FakeLauncher.FakeChild stream = streamStartedByMotion();
        stream.print(BEGIN);
        await().atMost(WAIT).until(() -> supervisor.current().leaseUntil() != null);
        final Instant firstEnd = supervisor.current().leaseUntil();
        await().atMost(WAIT).until(() -> supervisor.current().leaseUntil().isAfter(firstEnd.plusMillis(1000)));
        assertEquals(StreamState.STREAMING, supervisor.current().state(), "motion goes on: its lease is renewed");
        stream.print(FINISHED);
        await().atMost(WAIT).until(() -> supervisor.current().state() == StreamState.IDLE);
        assertEquals(EventMessage.Type.MOTION_END, events.get(events.size() - 1).type());
        assertEquals(1, events.stream().filter(e -> e.type() == EventMessage.Type.MOTION).count());
    }

    /** The watcher sees motion; the stream it starts reaches PLAYING: that stream. */
    private FakeLauncher.FakeChild streamStartedByMotion() {
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().print(BEGIN);
        await().atMost(WAIT).until(() -> launcher.children.size() == 2);
        final FakeLauncher.FakeChild stream = launcher.last();
        stream.playing();
        await().atMost(WAIT).until(() -> supervisor.current().state() == StreamState.STREAMING);
        return stream;
    }

    @Test
    void motionOff_stopsTheWatcher_andACrashedWatcherIsRelaunchedWithTheErrorInLastError() {
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().printError("WARNING: erroneous pipeline: no element \"motioncells\"");
        launcher.last().exit(1);
        await().atMost(WAIT).until(() -> launcher.children.size() == 2);
        assertTrue(supervisor.current().lastError().contains("no element \"motioncells\""), supervisor.current().lastError());
        camera.command(Command.of(Command.Kind.MOTION_OFF));
        await().atMost(WAIT).until(() -> launcher.running() == 0);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(500)).until(() -> launcher.children.size() == 2);
        await().atMost(WAIT).until(() -> !states.get(states.size() - 1).motion());
    }

    @Test
    void snapshotAtIdle_withMotionOff_runsThePicturePipeline_andStopsItWhenNoPictureComes() {
        camera.command(Command.of(Command.Kind.MOTION_OFF));
        await().atMost(WAIT).until(() -> launcher.running() == 0);
        final int before = launcher.children.size();
        camera.command(new Command(Command.Kind.SNAPSHOT, null, "s-1"));
        await().atMost(WAIT).until(() -> launcher.children.size() == before + 1);
        assertEquals("still", role(launcher.last()));
        await().atMost(WAIT).until(() -> launcher.running() == 0);
        assertTrue(supervisor.current().lastError().startsWith("snapshot: no picture within 2 s"), supervisor.current().lastError());
    }
}
