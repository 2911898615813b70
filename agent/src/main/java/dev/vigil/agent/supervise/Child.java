package dev.vigil.agent.supervise;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one {@code gst-launch-1.0} child: its launch, its PID file, its timers (start
 * timeout, the confirmation that it streams, the stall watch, the stop escalation), and a future of
 * its exit. Everything here runs on the supervisor's serial executor; what it sees goes to
 * {@link Events}, also on that executor.
 */
final class Child {

    /** What a child tells the supervisor. */
    interface Events {

        /** The pipeline reached PLAYING and stayed up for the confirmation time: media is flowing. */
        void streaming(Child child);

        /** It did not start in time, or it stalled; the supervisor decides what follows. */
        void failed(Child child, String reason);

        /** It exited ({@link Integer#MIN_VALUE}: it could not be launched). Its exit future completes after this. */
        void exited(Child child, int code);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final Logger GST = LoggerFactory.getLogger("gst-launch");

    private final ScheduledExecutorService executor;
    private final SupervisorSettings settings;
    private final PidFile pidFile;
    private final Clock clock;
    private final Events events;
    private final GstOutput output;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private ChildProcess process;
    private Instant lastProgress;
    private boolean streaming;
    private boolean ending;
    private ScheduledFuture<?> startTimer;
    private ScheduledFuture<?> confirmTimer;
    private ScheduledFuture<?> stallTimer;
    private ScheduledFuture<?> escalation;

    private Child(final LaunchSpec spec, final ScheduledExecutorService executor, final SupervisorSettings settings,
                  final PidFile pidFile, final Clock clock, final Events events) {
        this.executor = executor;
        this.settings = settings;
        this.pidFile = pidFile;
        this.clock = clock;
        this.events = events;
        this.output = new GstOutput(spec.masker(), settings.lastErrorLines());
    }

    /** Launches {@code spec} (call on the executor). */
    static Child launch(final LaunchSpec spec, final ChildLauncher launcher, final ScheduledExecutorService executor,
                        final SupervisorSettings settings, final PidFile pidFile, final Clock clock, final Events events) {
        final Child child = new Child(spec, executor, settings, pidFile, clock, events);
        LOG.info("launching {}", spec.maskedCommandLine());
        child.process = launcher.launch(spec.argv(), child.new Listener());
        if (child.process != null) {
            pidFile.write(child.process.pid());
        }
        child.startTimer = child.after(settings.startTimeout(), () -> {
            if (!child.streaming && !child.ending && !child.exit.isDone()) {
                events.failed(child, "no media within " + human(settings.startTimeout()) + " of the launch");
            }
        });
        return child;
    }

    /**
     * Stops it cleanly: SIGINT (gst-launch -e sends EOS), SIGTERM after the interrupt grace, SIGKILL
     * after the terminate grace. Calling it again lets a running escalation go on; it never restarts it.
     */
    void stop() {
        if (ending || exit.isDone()) {
            return;
        }
        ending = true;
        cancelWatches();
        signal(ChildProcess::interrupt);
        escalation = after(settings.interruptGrace(), () -> {
            LOG.warn("gst-launch-1.0 did not stop {} after SIGINT; sending SIGTERM", human(settings.interruptGrace()));
            signal(ChildProcess::terminate);
            escalation = after(settings.terminateGrace(), () -> {
                LOG.warn("gst-launch-1.0 did not stop {} after SIGTERM; sending SIGKILL", human(settings.terminateGrace()));
                signal(ChildProcess::kill);
            });
        });
    }

    /** Ends it at once (SIGKILL), after a failure or when a stop took too long. */
    void kill() {
        if (exit.isDone()) {
            return;
        }
        ending = true;
        cancelWatches();
        cancel(escalation);
        signal(ChildProcess::kill);
    }

    /** Completes with the exit code once it has exited. */
    CompletableFuture<Integer> exit() {
        return exit;
    }

    /** True once a stop or a kill has begun. */
    boolean isEnding() {
        return ending;
    }

    /** The child's output so far: its last error lines. */
    GstOutput output() {
        return output;
    }

    private void onLine(final String raw) {
        if (exit.isDone()) {
            return;
        }
        final GstOutput.Line line = output.read(raw);
        if (line == null) {
            return;
        }
        switch (line.kind()) {
            case FATAL, ERROR -> GST.warn("{}", line.text());
            default -> GST.debug("{}", line.text());
        }
        switch (line.kind()) {
            case PLAYING -> {
                if (!streaming && !ending && confirmTimer == null) {
                    confirmTimer = after(settings.streamingConfirm(), this::confirmStreaming);
                }
            }
            case PROGRESS -> lastProgress = clock.instant();
            case FATAL -> cancel(confirmTimer);
            default -> {
            }
        }
    }

    private void confirmStreaming() {
        if (streaming || ending || exit.isDone()) {
            return;
        }
        streaming = true;
        cancel(startTimer);
        lastProgress = clock.instant();
        final long every = Math.max(1, settings.stallTimeout().toMillis() / 4);
        stallTimer = executor.scheduleWithFixedDelay(() -> {
            if (!ending && !exit.isDone()
                    && Duration.between(lastProgress, clock.instant()).compareTo(settings.stallTimeout()) > 0) {
                cancel(stallTimer);
                events.failed(this, "stream stalled: no media for " + human(settings.stallTimeout()));
            }
        }, every, every, TimeUnit.MILLISECONDS);
        events.streaming(this);
    }

    private void onExit(final int code) {
        if (exit.isDone()) {
            return;
        }
        cancelWatches();
        cancel(escalation);
        pidFile.clear();
        events.exited(this, code);
        ending = true;
        exit.complete(code);
    }

    private void signal(final java.util.function.Consumer<ChildProcess> send) {
        if (process != null && process.isRunning()) {
            send.accept(process);
        }
    }

    private void cancelWatches() {
        cancel(startTimer);
        cancel(confirmTimer);
        cancel(stallTimer);
    }

    private ScheduledFuture<?> after(final Duration delay, final Runnable task) {
        return executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(final ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    static String human(final Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
                : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** Hands the child's events to the executor; never blocks the process-reading thread. */
    private final class Listener implements ChildListener {

        @Override
        public void onOutputLine(final String line, final boolean stderr) {
            submit(() -> onLine(line));
        }

        @Override
        public void onExit(final int exitCode) {
            submit(() -> Child.this.onExit(exitCode));
        }

        private void submit(final Runnable task) {
            try {
                executor.execute(task);
            } catch (final RejectedExecutionException e) {
                LOG.debug("gst-launch-1.0 event after the supervisor ended");
            }
        }
    }
}
