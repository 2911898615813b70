package dev.vigil.agent.supervise;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.protocol.Command;
import dev.vigil.protocol.Desired;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SECRET = "relay-secret-99";

    @TempDir
    Path tmp;

    private final FakeLauncher launcher = new FakeLauncher();
    private final List<StateMessage> states = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private Supervisor supervisor;

    private SupervisorSettings settings(final int budget, final Duration startTimeout, final Duration stall) {
        return new SupervisorSettings("testsrc", Duration.ofMillis(50), Duration.ofMillis(400), 0.2, Duration.ofSeconds(60),
                budget, Duration.ofMinutes(2), startTimeout, Duration.ofMillis(50), stall, Duration.ofMillis(200),
                Duration.ofMillis(200), Duration.ZERO, tmp.resolve("gst.pid"), 2);
    }

    private void startSupervisor(final SupervisorSettings settings) {
        startSupervisor(settings, null);
    }

    /** A supervisor whose launches carry {@code diagnosis} (null: none, as for a publish without TLS). */
    private void startSupervisor(final SupervisorSettings settings, final Supplier<String> diagnosis) {
        final UnaryOperator<String> masker = line -> line.replace(SECRET, "***");
        supervisor = new Supervisor(settings, () -> new LaunchSpec(List.of("gst-launch-1.0", "-e", "x", "location=" + SECRET), masker,
                diagnosis), launcher, Clock.systemUTC(), executor, states::add, signal -> { });
        supervisor.start();
        await().atMost(WAIT).until(() -> !states.isEmpty());
    }

    @BeforeEach
    void setUp() {
        startSupervisor(settings(3, Duration.ofSeconds(5), Duration.ofSeconds(3)));
    }

    @AfterEach
    void tearDown() {
        supervisor.shutdown(Duration.ofSeconds(2));
        executor.shutdownNow();
    }

    private StreamState state() {
        return supervisor.current().state();
    }

    @Test
    void start_goesStreaming_whenThePipelineReachesPlaying_notBefore() {
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> state() == StreamState.STARTING);
        launcher.last().print("Setting pipeline to PLAYING ...");
        launcher.last().print("Got message #53 from element \"flvmux0\" (state-changed): GstMessageStateChanged,"
                + " old-state=(GstState)paused, new-state=(GstState)playing, pending-state=(GstState)void-pending;");
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> state() == StreamState.STARTING);
        launcher.last().print(FakeLauncher.PLAYING_MESSAGE);
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        assertEquals(Desired.STREAMING, supervisor.current().desired());
        assertEquals(1, launcher.children.size());
    }

    @Test
    void start_neverShowsStreaming_whenTheSinkFailsAtItsFirstBuffer() {
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        final FakeLauncher.FakeChild child = launcher.last();
        child.print(FakeLauncher.PLAYING_MESSAGE);
        child.printError("ERROR: from element /GstPipeline:pipeline0/GstRTMPSink:rtmpsink0: Could not open resource for writing.");
        await().pollDelay(Duration.ofMillis(150)).atMost(WAIT).until(() -> true);
        child.exit(1);
        await().atMost(WAIT).until(() -> states.stream().anyMatch(s -> s.state() == StreamState.RETRYING));
        assertTrue(states.stream().noneMatch(s -> s.state() == StreamState.STREAMING), states.toString());
        assertTrue(states.stream().filter(s -> s.state() == StreamState.RETRYING).findFirst().orElseThrow().lastError()
                .contains("Could not open resource for writing"), states.toString());
    }

    @Test
    void shutdown_afterStopAndStart_endsAChildThatIgnoresInterrupt_andEndsIdle() {
        final FakeLauncher.FakeChild second = shutDownAfterStopAndStart(false, true, Duration.ofSeconds(5));
        assertEquals(List.of("INT", "TERM"), second.signals);
        assertEquals(Desired.IDLE, supervisor.current().desired());
    }

    @Test
    void shutdown_afterStopAndStart_endsAChildThatIgnoresInterruptAndTerminate_andEndsIdle() {
        final FakeLauncher.FakeChild second = shutDownAfterStopAndStart(false, false, Duration.ofSeconds(5));
        assertEquals(List.of("INT", "TERM", "KILL"), second.signals);
    }

    @Test
    void shutdown_killsAtOnce_whenItsTimeRunsOutBeforeTheEscalation() {
        final FakeLauncher.FakeChild child = shutDownAfterStopAndStart(false, false, Duration.ofMillis(100));
        assertEquals(List.of("INT", "KILL"), child.signals);
    }

    /** Streams again after a stop, then shuts down with a child that obeys the signals as told: it is gone, the state idle. */
    private FakeLauncher.FakeChild shutDownAfterStopAndStart(final boolean obeysInterrupt, final boolean obeysTerminate,
                                                             final Duration timeout) {
        final FakeLauncher.FakeChild child = streamAgainAfterAStop();
        child.obeysInterrupt = obeysInterrupt;
        child.obeysTerminate = obeysTerminate;
        supervisor.shutdown(timeout);
        assertFalse(child.isRunning());
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        return child;
    }

    /** start, streaming, stop (the child obeys), start again, streaming: the second child. */
    private FakeLauncher.FakeChild streamAgainAfterAStop() {
        startStreaming(1);
        supervisor.handle(Command.stop());
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        return startStreaming(2);
    }

    /** start; the new child (the {@code nth}) reaches PLAYING; streaming. */
    private FakeLauncher.FakeChild startStreaming(final int nth) {
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == nth);
        final FakeLauncher.FakeChild child = launcher.last();
        child.playing();
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        return child;
    }

    @Test
    void duplicateStart_launchesNothingNew() {
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().playing();
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        supervisor.handle(Command.start());
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> launcher.children.size() == 1 && state() == StreamState.STREAMING);
    }

    @Test
    void exitWhileStreaming_retriesWithGrowingDelays_thenFailsAfterBudget() {
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().printError("ERROR: from element rtmpsink0: Could not connect, pass " + SECRET);
        launcher.last().exit(1);
        await().atMost(WAIT).until(() -> launcher.children.size() == 2);
        assertTrue(states.stream().anyMatch(s -> s.state() == StreamState.RETRYING && s.restarts() == 1));
        launcher.last().exit(1);
        await().atMost(WAIT).until(() -> launcher.children.size() == 3);
        launcher.last().printError("ERROR: from element libcamerasrc0: Could not find any supported camera on this system.");
        launcher.last().exit(1);
        await().atMost(WAIT).until(() -> state() == StreamState.FAILED);
        final String lastError = supervisor.current().lastError();
        assertTrue(lastError.contains("Could not find any supported camera"), lastError);
        assertFalse(states.stream().anyMatch(s -> s.lastError() != null && s.lastError().contains(SECRET)));
        await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> launcher.children.size() == 3);
        assertEquals(0, launcher.running());
    }

    /** A fresh supervisor (budget 3) whose launches carry {@code diagnosis}, started: the first child. */
    private void startWithDiagnosis(final Supplier<String> diagnosis) {
        supervisor.shutdown(Duration.ofSeconds(2));
        states.clear();
        startSupervisor(settings(3, Duration.ofSeconds(5), Duration.ofSeconds(3)), diagnosis);
        supervisor.handle(Command.start());
    }

    /** The {@code nth} child says it could not connect to the relay and exits. */
    private void connectFails(final int nth) {
        await().atMost(WAIT).until(() -> launcher.children.size() == nth);
        launcher.last().printError("ERROR: from element rtspclientsink0: Could not open resource for reading and writing.");
        launcher.last().exit(1);
    }

    @Test
    void connectFailure_namesTheDiagnosis_andKeepsRetryingPastTheBudget_whenTheRelayCertificateIsRefused() {
        final String refused = "TLS: the relay's certificate at relay.test:8322 is refused: it expired on 2020-01-02T00:00:00Z";
        startWithDiagnosis(() -> refused);
        for (int launch = 1; launch <= 5; launch++) {
            final int launched = launch;
            connectFails(launched);
            await().atMost(WAIT).until(() -> states.stream().anyMatch(m -> m.state() == StreamState.RETRYING
                    && m.restarts() == launched && refused.equals(m.lastError())));
        }
        await().atMost(WAIT).until(() -> launcher.children.size() == 6);
        launcher.last().playing();
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        assertFalse(states.stream().anyMatch(m -> m.state() == StreamState.FAILED));
    }

    @Test
    void connectFailure_spendsTheBudget_whenTheDiagnosisFindsNothing() {
        final AtomicInteger checks = new AtomicInteger();
        startWithDiagnosis(() -> {
            checks.incrementAndGet();
            return null;
        });
        for (int launch = 1; launch <= 3; launch++) {
            connectFails(launch);
        }
        await().atMost(WAIT).until(() -> state() == StreamState.FAILED);
        assertEquals(3, checks.get());
        assertTrue(supervisor.current().lastError().contains("Could not open resource"), supervisor.current().lastError());
        await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> launcher.children.size() == 3);
    }

    @Test
    void stop_whileTheDiagnosisRuns_endsIdle_andLaunchesNothingAfterIt() {
        final CountDownLatch release = new CountDownLatch(1);
        startWithDiagnosis(() -> {
            try {
                release.await();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "TLS: the relay's certificate at relay.test:8322 is refused: it is not for the host name relay.test";
        });
        connectFails(1);
        await().atMost(WAIT).until(() -> state() == StreamState.RETRYING);
        supervisor.handle(Command.stop());
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        release.countDown();
        await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> launcher.children.size() == 1 && state() == StreamState.IDLE);
        assertFalse(supervisor.current().lastError() != null && supervisor.current().lastError().startsWith("TLS:"));
    }

    @Test
    void streamingFailure_isNotDiagnosed_onlyAFailureBeforeMedia() {
        final AtomicInteger checks = new AtomicInteger();
        startWithDiagnosis(() -> {
            checks.incrementAndGet();
            return "TLS: should not be asked";
        });
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().playing();
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        connectFails(1);
        await().atMost(WAIT).until(() -> launcher.children.size() == 2);
        assertEquals(0, checks.get());
    }

    @Test
    void start_afterFailed_resetsBudgetAndLaunchesAgain() {
        exitWhileStreaming_retriesWithGrowingDelays_thenFailsAfterBudget();
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == 4 && state() == StreamState.STARTING);
        assertNull(supervisor.current().lastError());
        assertEquals(0, supervisor.current().restarts());
    }

    @Test
    void stop_escalatesFromInterruptToTerminateToKill_whenChildIgnoresSignals() {
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        final FakeLauncher.FakeChild child = launcher.last();
        child.playing();
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        child.obeysInterrupt = false;
        child.obeysTerminate = false;
        supervisor.handle(Command.stop());
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        assertEquals(List.of("INT", "TERM", "KILL"), child.signals);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> launcher.children.size() == 1);
    }

    @Test
    void stop_sendsOnlyInterrupt_whenChildObeys_andIsNeverRetried() {
        startStreaming(1);
        supervisor.handle(Command.stop());
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        assertEquals(List.of("INT"), launcher.last().signals);
        assertEquals(Desired.IDLE, supervisor.current().desired());
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> launcher.children.size() == 1);
    }

    @Test
    void stop_whileRetrying_cancelsTheRetry() {
        supervisor.shutdown(Duration.ofSeconds(1));
        startSupervisor(new SupervisorSettings("testsrc", Duration.ofSeconds(2), Duration.ofSeconds(4), 0.0, Duration.ofSeconds(60),
                5, Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMillis(200),
                Duration.ofMillis(200), Duration.ZERO, tmp.resolve("gst2.pid"), 2));
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().exit(1);
        await().atMost(WAIT).until(() -> state() == StreamState.RETRYING);
        supervisor.handle(Command.stop());
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> launcher.children.size() == 1);
    }

    @Test
    void stall_restartsTheChild() {
        supervisor.shutdown(Duration.ofSeconds(1));
        startSupervisor(settings(3, Duration.ofSeconds(5), Duration.ofMillis(400)));
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        final FakeLauncher.FakeChild first = launcher.last();
        first.playing();
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        await().atMost(WAIT).until(() -> launcher.children.size() == 2);
        assertTrue(first.signals.contains("KILL"));
        assertTrue(states.stream().anyMatch(s -> s.lastError() != null && s.lastError().startsWith("stream stalled")));
        assertEquals(1, launcher.running());
    }

    @Test
    void startTimeout_countsAsFailure() {
        supervisor.shutdown(Duration.ofSeconds(1));
        startSupervisor(settings(3, Duration.ofMillis(300), Duration.ofSeconds(1)));
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() >= 2);
        assertTrue(states.stream().anyMatch(s -> s.lastError() != null && s.lastError().startsWith("no media within")));
    }

    @Test
    void lease_stopsTheStream_whenItRunsOut() {
        supervisor.handle(new Command(Command.Kind.START, Duration.ofMillis(700), "req-1"));
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().playing();
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        assertNotNull(supervisor.current().leaseUntil());
        assertEquals("req-1", supervisor.current().requestId());
        launcher.last().print("progressreport0 (00:00:02): 1 seconds");
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        assertNull(supervisor.current().leaseUntil());
    }

    @Test
    void renewedLease_keepsStreaming() {
        supervisor.handle(new Command(Command.Kind.START, Duration.ofMillis(600), null));
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        final FakeLauncher.FakeChild child = launcher.last();
        child.playing();
        for (int i = 0; i < 4; i++) {
            await().pollDelay(Duration.ofMillis(250)).atMost(WAIT).until(() -> true);
            child.print("progressreport0 (00:00:0" + i + "): " + i + " seconds");
            supervisor.handle(new Command(Command.Kind.START, Duration.ofMillis(600), null));
        }
        assertEquals(StreamState.STREAMING, state());
        assertEquals(1, launcher.children.size());
    }

    @Test
    void release_ofTheViews_keepsStreaming_whileAPersonsStartStillHoldsIt() {
        startStreaming(1);
        supervisor.handle(new Command(Command.Kind.START, Duration.ofSeconds(30), null, Command.VIEWS));
        await().atMost(WAIT).until(() -> supervisor.current().leases().equals(List.of(Command.MANUAL, Command.VIEWS)));
        supervisor.handle(Command.release(Command.VIEWS));
        await().atMost(WAIT).until(() -> supervisor.current().leases().equals(List.of(Command.MANUAL)));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        assertEquals(List.of(), launcher.last().signals);
        supervisor.handle(Command.stop());
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        assertEquals(List.of(), supervisor.current().leases(), "a plain stop ends every lease");
    }

    @Test
    void leases_endOneByOne_andTheStreamStopsWithTheLast() {
        supervisor.handle(new Command(Command.Kind.START, Duration.ofMillis(400), "v-1", Command.VIEWS));
        supervisor.handle(new Command(Command.Kind.START, Duration.ofMillis(1500), "motion-1", Command.MOTION));
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        final FakeLauncher.FakeChild child = launcher.last();
        child.playing();
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        assertEquals(List.of(Command.MOTION, Command.VIEWS), supervisor.current().leases());
        await().atMost(WAIT).until(() -> supervisor.current().leases().equals(List.of(Command.MOTION)));
        assertEquals(StreamState.STREAMING, state(), "the views' lease ended, motion's goes on");
        child.print("progressreport0 (00:00:01): 1 seconds");
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        assertEquals(List.of("INT"), child.signals);
        assertNull(supervisor.current().leaseUntil());
    }

    @Test
    void release_ofTheLastHolder_stopsTheStream_andOfNoneChangesNothing() {
        supervisor.handle(Command.release(Command.VIEWS));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> state() == StreamState.IDLE && launcher.children.isEmpty());
        supervisor.handle(new Command(Command.Kind.START, Duration.ofSeconds(30), null, Command.MOTION));
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().playing();
        await().atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        supervisor.handle(Command.release(Command.VIEWS));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> state() == StreamState.STREAMING);
        supervisor.handle(Command.release(Command.MOTION));
        await().atMost(WAIT).until(() -> state() == StreamState.IDLE);
        assertEquals(Desired.IDLE, supervisor.current().desired());
    }

    @Test
    void invalidCommand_setsLastErrorOnly() {
        supervisor.reportInvalidCommand("unknown command 'jump'");
        await().atMost(WAIT).until(() -> supervisor.current().lastError() != null);
        assertEquals("ignored command: unknown command 'jump'", supervisor.current().lastError());
        assertEquals(StreamState.IDLE, state());
        assertTrue(launcher.children.isEmpty());
    }

    @Test
    void launchFailure_isAFailureWithClearReason() {
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        launcher.last().exit(Integer.MIN_VALUE);
        await().atMost(WAIT).until(() -> supervisor.current().lastError() != null);
        assertTrue(supervisor.current().lastError().startsWith("cannot launch gst-launch-1.0"));
    }

    @Test
    void pidFile_holdsTheChildWhileItRuns() throws Exception {
        supervisor.handle(Command.start());
        await().atMost(WAIT).until(() -> launcher.children.size() == 1);
        await().atMost(WAIT).until(() -> java.nio.file.Files.exists(tmp.resolve("gst.pid")));
        assertEquals(String.valueOf(launcher.last().pid), java.nio.file.Files.readString(tmp.resolve("gst.pid")).strip());
        supervisor.handle(Command.stop());
        await().atMost(WAIT).until(() -> !java.nio.file.Files.exists(tmp.resolve("gst.pid")));
    }
}
