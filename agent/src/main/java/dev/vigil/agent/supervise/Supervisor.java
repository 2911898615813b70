package dev.vigil.agent.supervise;

import dev.vigil.protocol.Command;
import dev.vigil.protocol.Desired;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps at most one {@code gst-launch-1.0} running while streaming is wanted: starts it, sees media
 * flow, restarts it with backoff when it fails or stalls, gives up after a failure budget, and stops
 * it cleanly (SIGINT for EOS, then SIGTERM, then SIGKILL). Commands, process events and timers all
 * run on one serial executor, so nothing here races.
 */
public final class Supervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final Logger GST = LoggerFactory.getLogger("gst-launch");
    private static final String PLAYING = "Setting pipeline to PLAYING";
    /** gst-launch's words for a connection it could not make (a refused TLS certificate among the causes). */
    private static final Pattern CONNECT_FAILURE =
            Pattern.compile("(?i)could not open resource|failed to connect|could not connect|tls|certificate");
    private static final Pattern PROGRESS = Pattern.compile("^progressreport\\d* \\(");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern ERRORISH = Pattern.compile("ERROR|WARN|[Ee]rror|[Ff]ail|[Cc]ould not|[Nn]o such");
    private static final Duration RELAUNCH_WAIT = Duration.ofMillis(100);
    private static final Duration DEFAULT_SHUTDOWN = Duration.ofSeconds(15);

    private final SupervisorSettings settings;
    private final Supplier<LaunchSpec> launchSpecs;
    private final ChildLauncher launcher;
    private final Clock clock;
    private final Consumer<StateMessage> stateListener;
    private final ScheduledExecutorService executor;
    private final Backoff backoff;
    private final FailureBudget budget;
    private final PidFile pidFile;
    private final Deque<String> errorLines = new ArrayDeque<>();

    private StreamState state = StreamState.IDLE;
    private Desired desired = Desired.IDLE;
    private Instant since;
    private int restarts;
    private String lastError;
    private Supplier<String> diagnosis = () -> null;
    private String requestId;
    private Instant leaseUntil;
    private volatile StateMessage current;

    private ChildProcess child;
    private ChildProcess dying;
    private int generation;
    private boolean playingSeen;
    private Instant lastProgress;
    private UnaryOperator<String> masker = UnaryOperator.identity();
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> startTimer;
    private ScheduledFuture<?> stallTimer;
    private ScheduledFuture<?> leaseTimer;
    private ScheduledFuture<?> healthyTimer;
    private ScheduledFuture<?> escalateTimer;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * @param launchSpecs   called on the supervisor's thread before each launch; an
     *                      {@link IllegalStateException} there ends in {@code failed} with its message
     * @param stateListener called on the supervisor's thread on every transition and lastError change
     */
    public Supervisor(final SupervisorSettings settings, final Supplier<LaunchSpec> launchSpecs, final ChildLauncher launcher,
                      final Clock clock, final Consumer<StateMessage> stateListener) {
        this.settings = settings;
        this.launchSpecs = launchSpecs;
        this.launcher = launcher;
        this.clock = clock;
        this.stateListener = stateListener;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "supervisor");
            thread.setDaemon(true);
            return thread;
        });
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), settings.backoffJitter(), new Random());
        this.budget = new FailureBudget(settings.failureBudget(), settings.failureWindow(), clock);
        this.pidFile = new PidFile(settings.pidFile());
        this.since = clock.instant();
        this.current = snapshot();
    }

    /** Ends a child that an earlier run left behind, then publishes the initial {@code idle} state. */
    public void start() {
        executor.execute(() -> {
            pidFile.endOrphan(settings.interruptGrace());
            since = clock.instant();
            publish();
        });
    }

    /** Queues a command: {@code start} (with its lease and request id) or {@code stop}. */
    public void handle(final Command command) {
        executor.execute(() -> {
            if (command.kind() == Command.Kind.START) {
                onStart(command);
            } else {
                onStop("stop command", command.requestId());
            }
        });
    }

    /** Records a refused command in {@code lastError} and republishes; nothing else changes. */
    public void reportInvalidCommand(final String oneLineReason) {
        executor.execute(() -> {
            lastError = masker.apply("ignored command: " + oneLineReason);
            publish();
        });
    }

    /** The state as last published. */
    public StateMessage current() {
        return current;
    }

    /** Stops the stream cleanly and waits for the child to be gone, then ends the executor. */
    public void shutdown(final Duration timeout) {
        if (executor.isShutdown()) {
            return;
        }
        executor.execute(() -> {
            desired = Desired.IDLE;
            cancel(leaseTimer);
            leaseUntil = null;
            if (child != null) {
                if (state != StreamState.STOPPING) {
                    beginStop("agent shutting down");
                }
            } else {
                if (state == StreamState.RETRYING) {
                    cancel(retryTimer);
                    transition(StreamState.IDLE, "agent shutting down");
                }
                stopped.countDown();
            }
        });
        try {
            if (!stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the stream did not stop within {}; killing gst-launch-1.0", timeout);
                executor.execute(() -> {
                    if (child != null) {
                        child.kill();
                    }
                });
                stopped.await(settings.terminateGrace().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(DEFAULT_SHUTDOWN);
    }

    private void onStart(final Command command) {
        desired = Desired.STREAMING;
        requestId = command.requestId();
        final Duration lease = command.lease() != null ? command.lease()
                : settings.maxStreamDuration().isZero() ? null : settings.maxStreamDuration();
        cancel(leaseTimer);
        if (lease == null) {
            leaseUntil = null;
        } else {
            leaseUntil = clock.instant().plus(lease);
            leaseTimer = executor.schedule(() -> onStop(command.lease() != null ? "lease expired" : "maximum stream duration reached",
                    null), lease.toMillis(), TimeUnit.MILLISECONDS);
        }
        switch (state) {
            case IDLE, FAILED -> {
                budget.reset();
                backoff.reset();
                restarts = 0;
                lastError = null;
                launch("start command");
            }
            case STARTING, STREAMING, RETRYING, STOPPING -> publish();
        }
    }

    private void onStop(final String reason, final String stopRequestId) {
        final boolean changed = desired != Desired.IDLE || leaseUntil != null;
        desired = Desired.IDLE;
        if (stopRequestId != null) {
            requestId = stopRequestId;
        }
        cancel(leaseTimer);
        leaseUntil = null;
        switch (state) {
            case STARTING, STREAMING -> beginStop(reason);
            case RETRYING -> {
                cancel(retryTimer);
                transition(StreamState.IDLE, reason + " (retry cancelled)");
            }
            case IDLE, FAILED, STOPPING -> {
                if (changed) {
                    publish();
                }
            }
        }
    }

    private void launch(final String reason) {
        if (dying != null && dying.isRunning()) {
            retryTimer = executor.schedule(() -> launch(reason), RELAUNCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        dying = null;
        final LaunchSpec spec;
        try {
            spec = launchSpecs.get();
        } catch (final IllegalStateException e) {
            lastError = e.getMessage();
            transition(StreamState.FAILED, "cannot build the pipeline: " + e.getMessage());
            return;
        }
        masker = spec.masker();
        diagnosis = spec.diagnosis();
        errorLines.clear();
        playingSeen = false;
        lastProgress = null;
        final int gen = ++generation;
        LOG.info("launching {}", spec.maskedCommandLine());
        child = launcher.launch(spec.argv(), new Listener(gen));
        if (child != null) {
            pidFile.write(child.pid());
        }
        transition(StreamState.STARTING, reason);
        startTimer = executor.schedule(() -> {
            if (gen == generation && state == StreamState.STARTING) {
                failure("no media within " + human(settings.startTimeout()) + " of the launch");
            }
        }, settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beginStop(final String reason) {
        transition(StreamState.STOPPING, reason);
        cancelChildTimers();
        final ChildProcess stopping = child;
        final int gen = generation;
        stopping.interrupt();
        escalateTimer = executor.schedule(() -> {
            if (gen == generation && child != null) {
                LOG.warn("gst-launch-1.0 did not stop {} after SIGINT; sending SIGTERM", human(settings.interruptGrace()));
                child.terminate();
                escalateTimer = executor.schedule(() -> {
                    if (gen == generation && child != null) {
                        LOG.warn("gst-launch-1.0 did not stop {} after SIGTERM; sending SIGKILL", human(settings.terminateGrace()));
                        child.kill();
                    }
                }, settings.terminateGrace().toMillis(), TimeUnit.MILLISECONDS);
            }
        }, settings.interruptGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onOutput(final int gen, final String rawLine, final boolean stderr) {
        if (gen != generation) {
            return;
        }
        final String line = masker.apply(ANSI.matcher(rawLine).replaceAll("")).strip();
        if (line.isEmpty()) {
            return;
        }
        final boolean errorish = ERRORISH.matcher(line).find();
        if (errorish) {
            GST.warn("{}", line);
            errorLines.addLast(line);
            while (errorLines.size() > settings.lastErrorLines()) {
                errorLines.removeFirst();
            }
        } else {
            GST.debug("{}", line);
        }
        if (line.startsWith(PLAYING)) {
            playingSeen = true;
        } else if (PROGRESS.matcher(line).find()) {
            lastProgress = clock.instant();
            if (state == StreamState.STARTING && playingSeen) {
                becomeStreaming(gen);
            }
        }
    }

    private void becomeStreaming(final int gen) {
        cancel(startTimer);
        transition(StreamState.STREAMING, "media is flowing");
        stallTimer = executor.scheduleWithFixedDelay(() -> {
            if (gen == generation && state == StreamState.STREAMING && lastProgress != null
                    && Duration.between(lastProgress, clock.instant()).compareTo(settings.stallTimeout()) > 0) {
                failure("stream stalled: no media for " + human(settings.stallTimeout()));
            }
        }, settings.stallTimeout().toMillis() / 4, settings.stallTimeout().toMillis() / 4, TimeUnit.MILLISECONDS);
        healthyTimer = executor.schedule(() -> {
            if (gen == generation && state == StreamState.STREAMING) {
                backoff.reset();
            }
        }, settings.healthyReset().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onExit(final int gen, final int code) {
        if (gen != generation) {
            return;
        }
        child = null;
        pidFile.clear();
        cancelChildTimers();
        if (state == StreamState.STOPPING) {
            if (desired == Desired.STREAMING) {
                launch("start command during stop");
            } else {
                transition(StreamState.IDLE, code == 0 ? "stopped cleanly (EOS sent)" : "stopped (exit code " + code + ")");
                stopped.countDown();
            }
            return;
        }
        failure(code == Integer.MIN_VALUE ? "cannot launch gst-launch-1.0 (is gstreamer1.0-tools installed?)"
                : "gst-launch-1.0 exited with code " + code);
    }

    private void failure(final String reason) {
        cancelChildTimers();
        if (child != null) {
            dying = child;
            child = null;
            generation++;
            dying.kill();
            pidFile.clear();
        }
        // A publish that failed before any media flowed may have met a refused TLS certificate,
        // which gst-launch does not name: the diagnosis says which check failed, in one line.
        final String diagnosed = state == StreamState.STARTING && desired == Desired.STREAMING
                && errorLines.stream().anyMatch(line -> CONNECT_FAILURE.matcher(line).find()) ? diagnosis.get() : null;
        if (diagnosed != null) {
            LOG.warn("{}", diagnosed);
            lastError = diagnosed;
        } else {
            lastError = errorLines.isEmpty() ? reason : reason + ": " + String.join(" | ", errorLines);
        }
        if (desired != Desired.STREAMING) {
            transition(StreamState.IDLE, reason);
            stopped.countDown();
            return;
        }
        // A refused certificate is a fault on the relay that its operator fixes: keep retrying with
        // the backoff (up to its maximum) without spending the failure budget, so the robot streams
        // once the certificate is right instead of giving up until the next start.
        if (diagnosed == null && budget.recordFailure()) {
            transition(StreamState.FAILED, reason + "; " + settings.failureBudget() + " failures within "
                    + human(settings.failureWindow()) + ", giving up until the next start");
            return;
        }
        final Duration delay = backoff.next();
        restarts++;
        transition(StreamState.RETRYING, reason + "; retry " + restarts + " in " + human(delay));
        retryTimer = executor.schedule(() -> {
            if (state == StreamState.RETRYING && desired == Desired.STREAMING) {
                launch("retry " + restarts);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void transition(final StreamState next, final String reason) {
        final StreamState previous = state;
        state = next;
        since = clock.instant();
        LOG.info("{} -> {}: {}", previous.wire(), next.wire(), masker.apply(reason));
        publish();
    }

    private void publish() {
        current = snapshot();
        try {
            stateListener.accept(current);
        } catch (final RuntimeException e) {
            LOG.warn("state listener failed: {}", e.toString());
        }
    }

    private StateMessage snapshot() {
        return new StateMessage(state, desired, since, restarts, settings.pipelineName(),
                lastError == null ? null : masker.apply(lastError), requestId, leaseUntil);
    }

    private void cancelChildTimers() {
        cancel(startTimer);
        cancel(stallTimer);
        cancel(healthyTimer);
        cancel(escalateTimer);
    }

    private static void cancel(final ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static String human(final Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
                : String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** Hands a child's events to the executor; never blocks the process-reading thread. */
    private final class Listener implements ChildListener {

        private final int gen;

        Listener(final int gen) {
            this.gen = gen;
        }

        @Override
        public void onOutputLine(final String line, final boolean stderr) {
            submit(() -> onOutput(gen, line, stderr));
        }

        @Override
        public void onExit(final int exitCode) {
            submit(() -> Supervisor.this.onExit(gen, exitCode));
        }

        private void submit(final Runnable task) {
            if (!executor.isShutdown()) {
                executor.execute(task);
            }
        }
    }
}
