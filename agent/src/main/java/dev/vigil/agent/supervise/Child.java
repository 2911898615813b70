package dev.vigil.agent.supervise;

import dev.vigil.agent.motion.MotionSignal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one {@code gst-launch-1.0} child: its launch, its PID file, its timers (start
 * timeout, the confirmation that it streams, the stall watch, the stop escalation), and a future of
 * its exit. Everything here runs on its owner's serial executor; what it sees goes to
 * {@link Events}, also on that executor. Its {@link Role} says which of the timers apply and how it
 * is stopped: the stream and the camera's own pipelines (the motion watcher, a picture) are
 * children alike.
 */
final class Child {

    /** What a child is for: how it is watched and how it is stopped. */
    enum Role {
        /**
         * The stream: a start timeout, the confirmation and the stall watch (progressreport's line
         * each second); stopped with SIGINT first, so that {@code gst-launch-1.0 -e} sends EOS and
         * the relay sees a clean end.
         */
        STREAM("gst-launch-1.0", "gst-launch", true, true),
        /**
         * The motion watcher: no start timeout and no stall watch (it prints no progress, and a
         * watcher that dies is seen by its exit); stopped with SIGTERM first, as it has nothing to
         * finish, so the camera changes hands sooner.
         */
        WATCHER("the motion watcher", "gst-launch.watch", false, false),
        /** A one-off picture: its owner times it out; stopped with SIGTERM first, like the watcher. */
        PICTURE("the picture pipeline", "gst-launch.picture", false, false);

        private final String label;
        private final Logger gst;
        private final boolean watched;
        private final boolean sendsEos;

        Role(final String label, final String logger, final boolean watched, final boolean sendsEos) {
            this.label = label;
            this.gst = LoggerFactory.getLogger(logger);
            this.watched = watched;
            this.sendsEos = sendsEos;
        }

        /** How the logs name it. */
        String label() {
            return label;
        }
    }

    /** What a child tells its owner. */
    interface Events {

        /** The pipeline reached PLAYING and stayed up for the confirmation time: media is flowing. */
        void streaming(Child child);

        /** It did not start in time, or it stalled; the owner decides what follows. */
        void failed(Child child, String reason);

        /** Its motioncells branch said something (motion began or ended, or it cannot work). */
        void motion(Child child, MotionSignal signal);

        /** It exited ({@link Integer#MIN_VALUE}: it could not be launched). Its exit future completes after this. */
        void exited(Child child, int code);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final Role role;
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

    private Child(final Role role, final LaunchSpec spec, final ScheduledExecutorService executor, final SupervisorSettings settings,
                  final PidFile pidFile, final Clock clock, final Events events) {
        this.role = role;
        this.executor = executor;
        this.settings = settings;
        this.pidFile = pidFile;
        this.clock = clock;
        this.events = events;
        this.output = new GstOutput(spec.masker(), settings.lastErrorLines());
    }

    /** Launches {@code spec} as {@code role} (call on the executor). */
    static Child launch(final Role role, final LaunchSpec spec, final ChildLauncher launcher, final ScheduledExecutorService executor,
                        final SupervisorSettings settings, final PidFile pidFile, final Clock clock, final Events events) {
        final Child child = new Child(role, spec, executor, settings, pidFile, clock, events);
        LOG.info("launching {}{}", role == Role.STREAM ? "" : role.label() + ": ", spec.maskedCommandLine());
        child.process = launcher.launch(spec.argv(), child.new Listener());
        if (child.process != null) {
            pidFile.write(child.process.pid());
        }
        if (role.watched) {
            child.startTimer = child.after(settings.startTimeout(), () -> {
                if (!child.streaming && !child.ending && !child.exit.isDone()) {
                    events.failed(child, "no media within " + human(settings.startTimeout()) + " of the launch");
                }
            });
        }
        return child;
    }

    /**
     * Stops it: the stream with SIGINT (gst-launch -e sends EOS), SIGTERM after the interrupt grace,
     * SIGKILL after the terminate grace; the camera's own pipelines with SIGTERM, then SIGKILL after
     * the terminate grace. Calling it again lets a running escalation go on; it never restarts it.
     */
    void stop() {
        if (ending || exit.isDone()) {
            return;
        }
        ending = true;
        cancelWatches();
        if (role.sendsEos) {
            signal(ChildProcess::interrupt);
            escalation = after(settings.interruptGrace(), () -> {
                LOG.warn("{} did not stop {} after SIGINT; sending SIGTERM", role.label(), human(settings.interruptGrace()));
                terminate();
            });
        } else {
            terminate();
        }
    }

    private void terminate() {
        signal(ChildProcess::terminate);
        escalation = after(settings.terminateGrace(), () -> {
            LOG.warn("{} did not stop {} after SIGTERM; sending SIGKILL", role.label(), human(settings.terminateGrace()));
            signal(ChildProcess::kill);
        });
    }

    /**
     * Waits (off the executor: at shutdown) until it has exited or {@code deadline} ({@link System#nanoTime()})
     * has passed; then kills it and waits the terminate grace more.
     */
    void awaitExit(final long deadline) throws InterruptedException {
        try {
            exit.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (final TimeoutException e) {
            LOG.warn("{} did not stop in time; sending SIGKILL", role.label());
            executor.execute(this::kill);
            try {
                exit.get(settings.terminateGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (final TimeoutException | ExecutionException again) {
                LOG.warn("{} is still there after SIGKILL", role.label());
            }
        } catch (final ExecutionException e) {
            LOG.warn("waiting for {} failed: {}", role.label(), e.getCause().toString());
        }
    }

    /** What it is for. */
    Role role() {
        return role;
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
            case FATAL, ERROR -> role.gst.warn("{}", line.text());
            default -> role.gst.debug("{}", line.text());
        }
        switch (line.kind()) {
            case MOTION -> line.motion().ifPresent(signal -> events.motion(this, signal));
            case PLAYING -> {
                if (role.watched && !streaming && !ending && confirmTimer == null) {
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
                LOG.debug("{} event after its owner ended", role.label());
            }
        }
    }
}
