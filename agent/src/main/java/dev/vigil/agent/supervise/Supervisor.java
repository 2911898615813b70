package dev.vigil.agent.supervise;

import dev.vigil.agent.motion.MotionSignal;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.Desired;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's state machine: keeps at most one {@code gst-launch-1.0} ({@link Child}) while
 * streaming is wanted, restarts it with backoff when it fails or stalls, gives up after a failure
 * budget, stops it on {@code stop}, once no lease holds it any more ({@link Leases}: a person's
 * start, the bridge's views, motion; one holder letting go leaves the others' leases alone) and at
 * shutdown. Commands, child events
 * and timers all run on one serial executor, so nothing here races.
 *
 * <p>A publish over TLS that fails before any media flowed, with gst-launch saying it could not
 * connect, may have met a refused relay certificate, which gst-launch does not name. The launch's
 * diagnosis then makes its own handshake with the relay (on a thread of its own: it waits on the
 * network) and, when the certificate is the fault, its one line becomes {@code lastError}; such a
 * failure retries with the backoff without spending the failure budget, because the relay's operator
 * fixes it and the robot should stream then, not give up until the next start.
 */
public final class Supervisor implements Child.Events {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    /** Changes of lastError alone (refused commands) are published at most this often. */
    private static final Duration LAST_ERROR_PUBLISH_EVERY = Duration.ofMillis(250);

    private final SupervisorSettings settings;
    private final Supplier<LaunchSpec> launchSpecs;
    private final ChildLauncher launcher;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Consumer<StateMessage> stateListener;
    private final Consumer<MotionSignal> streamMotion;
    private final Backoff backoff;
    private final FailureBudget budget;
    private final PidFile pidFile;

    private final Status status;
    private UnaryOperator<String> masker = UnaryOperator.identity();
    private Supplier<String> diagnosis;
    private CompletableFuture<String> diagnosing;
    private volatile StateMessage current;

    private Child child;
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> leaseTimer;
    private ScheduledFuture<?> healthyTimer;
    private boolean publishPending;

    /**
     * @param launchSpecs   called on the executor before each launch; an {@link IllegalStateException}
     *                      there ends in {@code failed} with its message
     * @param executor      the serial executor of commands, child events and timers (one thread)
     * @param stateListener called on the executor on every transition and lastError change
     * @param streamMotion  called on the executor with what the stream's motion branch says
     */
    public Supervisor(final SupervisorSettings settings, final Supplier<LaunchSpec> launchSpecs, final ChildLauncher launcher,
                      final Clock clock, final ScheduledExecutorService executor, final Consumer<StateMessage> stateListener,
                      final Consumer<MotionSignal> streamMotion) {
        this.settings = settings;
        this.streamMotion = streamMotion;
        this.launchSpecs = launchSpecs;
        this.launcher = launcher;
        this.clock = clock;
        this.executor = executor;
        this.stateListener = stateListener;
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), settings.backoffJitter(), new Random());
        this.budget = new FailureBudget(settings.failureBudget(), settings.failureWindow(), clock);
        this.pidFile = new PidFile(settings.pidFile());
        this.status = new Status(clock.instant());
        this.current = snapshot();
    }

    /** Ends a child that an earlier run left behind (on the calling thread), then publishes {@code idle}. */
    public void start() {
        pidFile.endOrphan(settings.interruptGrace());
        executor.execute(() -> {
            status.restamp(clock.instant());
            publish();
        });
    }

    /** Queues a command: {@code start} (with its lease and request id) or {@code stop}; other kinds are not its own. */
    public void handle(final Command command) {
        executor.execute(() -> {
            switch (command.kind()) {
                case START -> onStart(command);
                case STOP -> onStop(command);
                default -> LOG.debug("{} is not a stream command; ignored here", command.kind().wire());
            }
        });
    }

    /** Records a refused command in {@code lastError}; nothing else changes. Published at most every 250 ms. */
    public void reportInvalidCommand(final String oneLineReason) {
        executor.execute(() -> {
            status.error(masker.apply("ignored command: " + oneLineReason));
            if (!publishPending) {
                publishPending = true;
                executor.schedule(this::publish, LAST_ERROR_PUBLISH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Records a problem (one line, masked) in {@code lastError} and republishes; nothing else changes. */
    public void reportProblem(final String oneLine) {
        executor.execute(() -> {
            status.error(masker.apply(oneLine));
            publish();
        });
    }

    /** The state as last published. */
    public StateMessage current() {
        return current;
    }

    /**
     * Stops the stream for good and waits, at most {@code timeout}, until the child has exited: the
     * usual SIGINT, SIGTERM, SIGKILL steps, wherever an earlier stop had got to; SIGKILL at once when
     * the time is up. Ends in {@code idle}. The executor stays up (its owner ends it).
     */
    public void shutdown(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final CompletableFuture<Child> stopping = new CompletableFuture<>();
        executor.execute(() -> {
            status.want(Desired.IDLE);
            status.leases().releaseAll();
            cancel(leaseTimer);
            cancel(retryTimer);
            cancel(healthyTimer);
            diagnosing = null;
            if (child != null && !child.isEnding()) {
                transition(StreamState.STOPPING, "agent shutting down");
            } else if (status.is(StreamState.RETRYING) || status.is(StreamState.STARTING) || status.is(StreamState.STREAMING)) {
                transition(StreamState.IDLE, "agent shutting down");
            }
            if (child != null) {
                child.stop();
            }
            stopping.complete(child);
        });
        try {
            final Child last = stopping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (last != null) {
                last.awaitExit(deadline);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException e) {
            LOG.warn("the supervisor did not answer within {}", timeout);
        }
    }

    @Override
    public void streaming(final Child streamingChild) {
        if (streamingChild != child || !status.is(StreamState.STARTING)) {
            return;
        }
        transition(StreamState.STREAMING, "media is flowing");
        healthyTimer = executor.schedule(() -> {
            if (child == streamingChild && status.is(StreamState.STREAMING)) {
                backoff.reset();
            }
        }, settings.healthyReset().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void motion(final Child motionChild, final MotionSignal signal) {
        if (motionChild == child && !motionChild.isEnding()) {
            streamMotion.accept(signal);
        }
    }

    @Override
    public void failed(final Child failedChild, final String reason) {
        if (failedChild == child && !failedChild.isEnding()) {
            failure(reason, failedChild);
        }
    }

    @Override
    public void exited(final Child exitedChild, final int code) {
        if (exitedChild != child) {
            return;
        }
        final boolean expected = exitedChild.isEnding();
        child = null;
        if (status.is(StreamState.STOPPING)) {
            if (status.wants(Desired.STREAMING)) {
                launch("start command during stop");
            } else {
                transition(StreamState.IDLE, code == 0 ? "stopped cleanly (EOS sent)" : "stopped (exit code " + code + ")");
            }
        } else if (!expected) {
            failure(exitedChild.output().explain(code == Integer.MIN_VALUE
                    ? "cannot launch gst-launch-1.0 (is gstreamer1.0-tools installed?)"
                    : "gst-launch-1.0 exited with code " + code), exitedChild);
        }
    }

    private void onStart(final Command command) {
        status.want(Desired.STREAMING);
        status.request(command.requestId());
        final Duration lease = command.lease() != null ? command.lease()
                : settings.maxStreamDuration().isZero() ? null : settings.maxStreamDuration();
        status.leases().grant(command.holderOfStart(), new Leases.Lease(lease == null ? null : clock.instant().plus(lease),
                command.lease() != null ? "lease expired" : "maximum stream duration reached"));
        scheduleLeaseEnd();
        switch (status.state()) {
            case IDLE, FAILED -> {
                budget.reset();
                backoff.reset();
                status.freshRun();
                launch("start command");
            }
            case STARTING, STREAMING, RETRYING, STOPPING -> publish();
        }
    }

    /** A stop that names a holder lets go of that holder's lease only; one that names none ends every lease. */
    private void onStop(final Command command) {
        final String holder = command.holder();
        if (holder == null) {
            stop("stop command", command.requestId());
            return;
        }
        final boolean held = status.leases().release(holder);
        if (status.leases().isEmpty()) {
            stop("stop command (" + holder + ")", command.requestId());
        } else if (held) {
            LOG.info("{} let go of the stream; {} still hold it", holder, String.join(" and ", status.leases().holders()));
            scheduleLeaseEnd();
            publish();
        }
    }

    /** Times the first end of a lease, if one will end by itself. */
    private void scheduleLeaseEnd() {
        cancel(leaseTimer);
        final Instant next = status.leases().nextEnd();
        if (next != null) {
            leaseTimer = executor.schedule(this::leasesEnded, Math.max(0, Duration.between(clock.instant(), next).toMillis()),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void leasesEnded() {
        final Map<String, Leases.Lease> over = status.leases().expire(clock.instant());
        if (status.leases().isEmpty() && !over.isEmpty()) {
            final String holders = String.join(" and ", over.keySet());
            stop(over.values().iterator().next().endReason() + " (" + holders + ")", null);
            return;
        }
        scheduleLeaseEnd();
        if (!over.isEmpty()) {
            LOG.info("the lease of {} ended; {} still hold the stream", String.join(" and ", over.keySet()),
                    String.join(" and ", status.leases().holders()));
            publish();
        }
    }

    private void stop(final String reason, final String stopRequestId) {
        final boolean changed = !status.wants(Desired.IDLE) | status.leases().releaseAll();
        status.want(Desired.IDLE);
        if (stopRequestId != null) {
            status.request(stopRequestId);
        }
        cancel(leaseTimer);
        switch (status.state()) {
            case STARTING, STREAMING -> {
                cancel(healthyTimer);
                transition(StreamState.STOPPING, reason);
                child.stop();
            }
            case RETRYING -> {
                cancel(retryTimer);
                diagnosing = null;
                transition(StreamState.IDLE, reason + " (retry cancelled)");
            }
            case IDLE, FAILED, STOPPING -> {
                if (changed) {
                    publish();
                }
            }
        }
    }

    /** Launches a new child once the previous one (killed after a failure) has exited. */
    private void launch(final String reason) {
        if (child != null) {
            final Child previous = child;
            previous.exit().whenComplete((code, error) -> executor.execute(() -> {
                if (status.wants(Desired.STREAMING) && child == null
                        && !status.is(StreamState.STARTING) && !status.is(StreamState.STREAMING)) {
                    launch(reason);
                }
            }));
            return;
        }
        final LaunchSpec spec;
        try {
            spec = launchSpecs.get();
        } catch (final IllegalStateException e) {
            status.error(e.getMessage());
            transition(StreamState.FAILED, "cannot build the pipeline: " + e.getMessage());
            return;
        }
        masker = spec.masker();
        diagnosis = spec.diagnosis();
        child = Child.launch(Child.Role.STREAM, spec, launcher, executor, settings, pidFile, clock, this);
        transition(StreamState.STARTING, reason);
    }

    /** {@code failed} failed or stalled (it is {@link #child} and still runs) or exited by itself ({@code reason} explained). */
    private void failure(final String reason, final Child failed) {
        cancel(healthyTimer);
        if (child != null) {
            status.error(child.output().explain(reason));
            child.kill();
        } else {
            status.error(reason);
        }
        if (!status.wants(Desired.STREAMING)) {
            transition(StreamState.IDLE, reason);
            return;
        }
        if (diagnosis != null && status.is(StreamState.STARTING) && failed.output().connectFailed()) {
            diagnose(reason);
            return;
        }
        retry(reason, true);
    }

    /** Retries after the backoff, or gives up when {@code budgeted} and the budget is spent. */
    private void retry(final String reason, final boolean budgeted) {
        if (budgeted && budget.recordFailure()) {
            transition(StreamState.FAILED, reason + "; " + settings.failureBudget() + " failures within "
                    + Child.human(settings.failureWindow()) + ", giving up until the next start");
            return;
        }
        final Duration delay = backoff.next();
        final int restart = status.restarted();
        transition(StreamState.RETRYING, reason + "; retry " + restart + " in " + Child.human(delay));
        retryTimer = executor.schedule(() -> {
            if (status.is(StreamState.RETRYING) && status.wants(Desired.STREAMING)) {
                launch("retry " + restart);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the launch's diagnosis off the executor, then retries with what it found. */
    private void diagnose(final String reason) {
        transition(StreamState.RETRYING, reason + "; checking the relay's TLS certificate");
        final Supplier<String> check = diagnosis;
        final CompletableFuture<String> result = new CompletableFuture<>();
        diagnosing = result;
        final Thread thread = new Thread(() -> {
            try {
                result.complete(check.get());
            } catch (final RuntimeException e) {
                result.complete(null);
            }
        }, "tls-diagnosis");
        thread.setDaemon(true);
        thread.start();
        result.thenAccept(line -> {
            try {
                executor.execute(() -> diagnosed(result, reason, line));
            } catch (final RejectedExecutionException e) {
                LOG.debug("TLS diagnosis after the supervisor ended");
            }
        });
    }

    private void diagnosed(final CompletableFuture<String> result, final String reason, final String line) {
        if (result != diagnosing) {
            return;
        }
        diagnosing = null;
        if (!status.is(StreamState.RETRYING) || !status.wants(Desired.STREAMING)) {
            return;
        }
        if (line == null) {
            retry(reason, true);
            return;
        }
        LOG.warn("{}", line);
        status.error(line);
        retry(line, false);
    }

    private void transition(final StreamState next, final String reason) {
        final StreamState previous = status.moveTo(next, clock.instant());
        LOG.info("{} -> {}: {}", previous.wire(), next.wire(), masker.apply(reason));
        publish();
    }

    private void publish() {
        publishPending = false;
        current = snapshot();
        try {
            stateListener.accept(current);
        } catch (final RuntimeException e) {
            LOG.warn("state listener failed: {}", e.toString());
        }
    }

    private StateMessage snapshot() {
        return status.message(settings.pipelineName(), masker);
    }

    private static void cancel(final ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
