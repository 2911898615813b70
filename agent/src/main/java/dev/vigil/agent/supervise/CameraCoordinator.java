package dev.vigil.agent.supervise;

import dev.vigil.agent.motion.MotionModeFile;
import dev.vigil.agent.motion.MotionPolicy;
import dev.vigil.agent.motion.MotionSignal;
import dev.vigil.agent.snapshot.JpegFitter;
import dev.vigil.agent.snapshot.SnapshotFiles;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.EventMessage;
import dev.vigil.protocol.Hold;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera has one owner at a time: the stream (the {@link Supervisor}'s child), the motion
 * watcher, or a one-off picture. This sits between the commands and the supervisor and hands the
 * camera over: at idle with motion mode on it runs the watcher (a {@link Child} like the stream's,
 * in the {@link Child.Role#WATCHER} role);
 * a start stops the watcher first and reaches the supervisor once it is gone; motion seen by the
 * watcher publishes an event and a snapshot and starts a stream on motion's own lease (holder
 * {@code motion}); while the stream's motion branch sees motion go on, that lease is renewed, and it
 * runs its length past the end of motion; when the stream ends, the watcher resumes. A snapshot comes from
 * the running pipeline's snapshot branch, or from a picture-only pipeline run just long enough.
 * Under an operator's hold (stopped, or the camera disabled for privacy) nothing here uses the
 * camera: no watcher, no picture, and no motion starts a stream. Commands, child events and timers
 * run on the supervisor's serial executor (the agent's one loop): nothing here may block.
 */
public final class CameraCoordinator implements Child.Events {

    private static final Logger LOG = LoggerFactory.getLogger(CameraCoordinator.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Supervisor supervisor;
    private final CameraSpecs specs;
    private final ChildLauncher launcher;
    private final CameraPublisher publisher;
    private final SnapshotFiles files;
    private final MotionPolicy policy;
    private final MotionModeFile modeFile;
    private final SupervisorSettings timing;
    private final Duration snapshotMaxAge;
    private final Duration snapshotTimeout;
    private final Duration motionLease;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Backoff backoff;
    private final PidFile pidFile;
    private final List<Runnable> whenCameraFree = new ArrayList<>();

    private volatile boolean motionOn;
    private volatile Hold hold = Hold.NONE;
    private volatile StateMessage latest;
    private volatile Consumer<StateMessage> states = state -> { };
    private boolean snapshotsWritable;
    private StateMessage stream;
    private Instant handedOverAt;
    private Child child;
    private GstOutput pictureOutput;
    private boolean shuttingDown;
    private int stillWaiters;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> motionKeeper;

    /**
     * @param supervisor    the stream's supervisor
     * @param motionDefault motion mode when the mode file holds none
     * @param timing        the supervisor's settings: the stop escalation, the backoff, the error lines kept
     * @param executor      the supervisor's serial executor (the agent's one loop)
     */
    public CameraCoordinator(final Supervisor supervisor, final CameraSpecs specs, final ChildLauncher launcher,
                             final CameraPublisher publisher, final SnapshotFiles files, final MotionPolicy policy,
                             final MotionModeFile modeFile, final boolean motionDefault, final SupervisorSettings timing,
                             final Duration snapshotMaxAge, final Duration snapshotTimeout, final Duration motionLease,
                             final ScheduledExecutorService executor, final Clock clock) {
        this.supervisor = supervisor;
        this.specs = specs;
        this.launcher = launcher;
        this.publisher = publisher;
        this.files = files;
        this.policy = policy;
        this.modeFile = modeFile;
        this.timing = timing;
        this.snapshotMaxAge = snapshotMaxAge;
        this.snapshotTimeout = snapshotTimeout;
        this.motionLease = motionLease;
        this.clock = clock;
        this.motionOn = modeFile.load().orElse(motionDefault);
        this.executor = executor;
        this.backoff = new Backoff(timing.backoffInitial(), timing.backoffMax(), timing.backoffJitter(), new Random());
        this.pidFile = new PidFile(timing.pidFile().resolveSibling("watch-" + timing.pidFile().getFileName()));
    }

    /**
     * Ends a watcher an earlier run left behind (on the calling thread, before the loop runs), then
     * prepares the snapshot folder and starts watching if motion mode is on.
     */
    public void start() {
        pidFile.endOrphan(timing.interruptGrace());
        submit(() -> {
            try {
                files.prepare();
                files.clear();
                snapshotsWritable = true;
                specs.snapshotBranch(true);
            } catch (final IOException e) {
                LOG.warn("snapshots are off: cannot make {} ({})", files.dir(), e.getClass().getSimpleName());
            }
            specs.motionBranch(motionOn);
            if (motionOn && !specs.canWatch()) {
                LOG.warn("motion mode is on, but the pipeline names no watch template: nothing watches");
            }
            LOG.info("motion mode is {}", motionOn ? "on" : "off");
            useCamera();
        });
    }

    /** Whether camera pipelines write pictures (their folder could be made); fixed after {@link #start()}. */
    public boolean snapshotsWritable() {
        return snapshotsWritable;
    }

    /** A command (already past any hold): start and stop go to the supervisor, the others are the camera's. */
    public void command(final Command command) {
        submit(() -> {
            switch (command.kind()) {
                case START -> handOver(command);
                case STOP -> {
                    if (command.holder() == null) {
                        // A person's stop: motion that the stream's branch saw renews nothing from now on.
                        policy.pipelineGone();
                        keepMotionLease();
                    }
                    supervisor.handle(command);
                }
                case SNAPSHOT -> snapshot(command.requestId());
                case MOTION_ON -> motion(true);
                case MOTION_OFF -> motion(false);
            }
        });
    }

    /** Where states go, with the motion mode added (the MQTT link). */
    public void publishStatesTo(final Consumer<StateMessage> out) {
        this.states = out;
    }

    /**
     * Every state the supervisor publishes, on its executor: passed on at once with the motion mode,
     * and acted on at once too, so that a renewal of motion's lease queued behind it sees the stream
     * as it is.
     */
    public void streamState(final StateMessage state) {
        latest = state;
        states.accept(state.withMotion(motionOn));
        stream = state;
        if (handedOverAt != null && (!idle(state) || state.since().isAfter(handedOverAt))) {
            handedOverAt = null;
        }
        if (idle(state) && handedOverAt == null) {
            // The stream's motion branch is gone: no end of its motion will come.
            policy.reset();
        } else if (!idle(state) && state.state() != StreamState.STREAMING && state.state() != StreamState.STARTING) {
            // Stopping or retrying: this child's branch says no more; a new one says whether motion goes on.
            policy.pipelineGone();
        }
        keepMotionLease();
        useCamera();
    }

    /**
     * The operator's hold as it changes ({@code B/control}): under one, the watcher and any picture
     * pipeline stop and nothing here starts the camera until it is lifted.
     */
    public void hold(final Hold newHold) {
        hold = newHold;
        submit(() -> {
            if (newHold.holds()) {
                policy.reset();
                whenCameraFree.clear();
                stopChild(newHold == Hold.PRIVACY ? "the camera is disabled (privacy)" : "an operator stopped the robot");
                keepMotionLease();
            }
            useCamera();
        });
    }

    /** Whether motion mode is on. */
    public boolean motionOn() {
        return motionOn;
    }

    /** What the stream's motion branch says (on the executor). */
    public void streamMotion(final MotionSignal signal) {
        submit(() -> onStreamMotion(signal));
    }

    /**
     * Stops the watcher or picture pipeline (SIGTERM, then SIGKILL) and waits for it, at most
     * {@code timeout} (then SIGKILL at once); call it off the executor. Nothing is launched afterwards.
     */
    public void shutdown(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final CompletableFuture<Child> stopping = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                shuttingDown = true;
                cancel(retry);
                cancel(motionKeeper);
                whenCameraFree.clear();
                stopChild("agent shutting down");
                stopping.complete(child);
            });
            final Child last = stopping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (last != null) {
                last.awaitExit(deadline);
            }
        } catch (final RejectedExecutionException e) {
            LOG.debug("the loop has ended: no camera pipeline to stop");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException e) {
            LOG.warn("the camera did not answer within {}", timeout);
        }
    }

    private void handOver(final Command start) {
        handedOverAt = clock.instant();
        if (child == null) {
            supervisor.handle(start);
            return;
        }
        LOG.info("the stream takes the camera from {}", child.role().label());
        whenCameraFree.add(() -> supervisor.handle(start));
        stopChild("the stream takes the camera");
    }

    private void motion(final boolean on) {
        if (motionOn != on) {
            LOG.info("motion mode {}", on ? "on" : "off");
        }
        final boolean changed = motionOn != on;
        motionOn = on;
        modeFile.save(on);
        final StateMessage last = latest;
        if (changed && last != null) {
            states.accept(last.withMotion(on));
        }
        specs.motionBranch(on);
        if (on && !specs.canWatch()) {
            supervisor.reportProblem("motion-on: the pipeline names no watch template, so nothing can watch");
        }
        if (!on) {
            policy.reset();
            keepMotionLease();
            // Streams that motion started end now, unless someone else holds them.
            supervisor.handle(Command.release(Command.MOTION));
        }
        cancel(retry);
        retry = null;
        backoff.reset();
        useCamera();
    }

    /** Starts or stops the watcher as the camera's use and the motion mode say. */
    private void useCamera() {
        if (shuttingDown || child != null && child.isEnding()) {
            return;
        }
        final boolean cameraFree = handedOverAt == null && (stream == null || idle(stream));
        final boolean wantWatcher = motionOn && !hold.holds() && specs.canWatch() && cameraFree && whenCameraFree.isEmpty();
        if (child == null && wantWatcher && retry == null) {
            launch(Child.Role.WATCHER);
        } else if (child != null && child.role() == Child.Role.WATCHER && !wantWatcher) {
            stopChild(motionOn ? "the camera is wanted elsewhere" : "motion mode is off");
        }
    }

    private static boolean idle(final StateMessage state) {
        return state.state() == StreamState.IDLE || state.state() == StreamState.FAILED;
    }

    private void launch(final Child.Role role) {
        final LaunchSpec spec;
        try {
            spec = role == Child.Role.WATCHER ? specs.watch() : specs.still();
        } catch (final IllegalStateException e) {
            LOG.warn("cannot build {}: {}", role.label(), e.getMessage());
            supervisor.reportProblem(e.getMessage());
            return;
        }
        files.clear();
        child = Child.launch(role, spec, launcher, executor, timing, pidFile, clock, this);
        if (role == Child.Role.PICTURE) {
            pictureOutput = child.output();
        }
    }

    /** Stops the watcher or picture pipeline; see {@link Child#stop()}: neither has anything to finish. */
    private void stopChild(final String reason) {
        if (child == null || child.isEnding()) {
            return;
        }
        LOG.info("stopping {}: {}", child.role().label(), reason);
        child.stop();
    }

    @Override
    public void streaming(final Child streamingChild) {
        // Not told for the camera's own pipelines: they have no start or stall watch.
    }

    @Override
    public void failed(final Child failedChild, final String reason) {
        if (failedChild == child) {
            stopChild(reason);
        }
    }

    @Override
    public void motion(final Child motionChild, final MotionSignal signal) {
        if (motionChild == child && child.role() == Child.Role.WATCHER && !child.isEnding()) {
            onWatchMotion(signal);
        }
    }

    @Override
    public void exited(final Child exitedChild, final int code) {
        if (exitedChild != child) {
            return;
        }
        final boolean expected = exitedChild.isEnding();
        final Child.Role was = exitedChild.role();
        child = null;
        if (shuttingDown) {
            return;
        }
        if (!expected && was == Child.Role.WATCHER) {
            final Duration delay = backoff.next();
            final String reason = exitedChild.output().explain(code == Integer.MIN_VALUE
                    ? "cannot launch gst-launch-1.0" : "the motion watcher exited with code " + code);
            LOG.warn("{}; watching again in {}", reason, Child.human(delay));
            supervisor.reportProblem(reason);
            retry = executor.schedule(() -> {
                retry = null;
                useCamera();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } else if (was == Child.Role.WATCHER) {
            backoff.reset();
        }
        if (was == Child.Role.WATCHER) {
            policy.pipelineGone();
        }
        final List<Runnable> next = new ArrayList<>(whenCameraFree);
        whenCameraFree.clear();
        next.forEach(Runnable::run);
        useCamera();
    }

    private void onWatchMotion(final MotionSignal signal) {
        if (hold.holds()) {
            return;
        }
        final MotionPolicy.Decision decision = policy.decide(signal, motionOn, false);
        LOG.info("watcher: {} ({})", signal.kind().name().toLowerCase(Locale.ROOT), decision.reason());
        decision.event().ifPresent(publisher::event);
        if (decision.lease().isPresent()) {
            publishNewest(decision.requestId(), "motion");
            handOver(new Command(Command.Kind.START, decision.lease().get(), decision.requestId(), Command.MOTION));
        }
    }

    private void onStreamMotion(final MotionSignal signal) {
        if (hold.holds()) {
            return;
        }
        final boolean streaming = stream != null && stream.state() == StreamState.STREAMING;
        final MotionPolicy.Decision decision = policy.decide(signal, motionOn, streaming);
        if (signal.kind() == MotionSignal.Kind.NO_MOTION) {
            return;
        }
        LOG.info("stream: {} ({})", signal.kind().name().toLowerCase(Locale.ROOT), decision.reason());
        decision.event().ifPresent(publisher::event);
        if (decision.event().isPresent() && decision.event().get().type() == EventMessage.Type.MOTION) {
            publishNewest(decision.requestId(), "motion");
        }
        decision.lease().ifPresent(lease ->
                supervisor.handle(new Command(Command.Kind.START, lease, decision.requestId(), Command.MOTION)));
        keepMotionLease();
    }

    /**
     * While the stream's branch says motion goes on (motioncells posts nothing between its begin and
     * its end), renews motion's lease every half of its length; stops once motion has ended, motion
     * mode is off, the camera is held or the stream is no longer streaming.
     */
    private void keepMotionLease() {
        final boolean keep = policy.moving() && motionOn && !hold.holds() && stream != null
                && stream.state() == StreamState.STREAMING;
        if (!keep) {
            cancel(motionKeeper);
            motionKeeper = null;
        } else if (motionKeeper == null) {
            final long every = Math.max(500, motionLease.toMillis() / 2);
            motionKeeper = executor.scheduleWithFixedDelay(() -> {
                keepMotionLease();
                if (motionKeeper != null) {
                    supervisor.handle(new Command(Command.Kind.START, motionLease, policy.motionRequest(), Command.MOTION));
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void snapshot(final String requestId) {
        if (hold.holds()) {
            final String reason = "snapshot refused: " + (hold == Hold.PRIVACY ? "the camera is disabled (privacy)"
                    : "an operator stopped the robot");
            LOG.warn("{}", reason);
            supervisor.reportProblem(reason);
            return;
        }
        if (!snapshotsWritable) {
            supervisor.reportProblem("snapshot: pictures cannot be written to " + files.dir());
            return;
        }
        final boolean cameraInUse = child != null && child.role() == Child.Role.WATCHER
                || stream != null && !idle(stream) || handedOverAt != null;
        if (!cameraInUse && child == null) {
            if (!specs.canWatch()) {
                supervisor.reportProblem("snapshot: the pipeline names no watch template to take a picture with at idle");
                return;
            }
            launch(Child.Role.PICTURE);
        }
        final boolean picture = child != null && child.role() == Child.Role.PICTURE;
        if (picture) {
            stillWaiters++;
        }
        final Instant deadline = clock.instant().plus(snapshotTimeout);
        awaitPicture(requestId, deadline, picture);
    }

    private void awaitPicture(final String requestId, final Instant deadline, final boolean still) {
        final Optional<SnapshotFiles.Picture> picture = files.newest(snapshotMaxAge);
        if (picture.isPresent()) {
            publish(picture.get(), requestId, "snapshot command");
            stillDone(still);
            return;
        }
        if (clock.instant().isAfter(deadline)) {
            final String noPicture = "snapshot: no picture within " + Child.human(snapshotTimeout);
            final String reason = still && pictureOutput != null ? pictureOutput.explain(noPicture) : noPicture;
            LOG.warn("{}", reason);
            supervisor.reportProblem(reason);
            stillDone(still);
            return;
        }
        executor.schedule(() -> awaitPicture(requestId, deadline, still), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stillDone(final boolean still) {
        if (still && --stillWaiters <= 0) {
            stillWaiters = 0;
            if (child != null && child.role() == Child.Role.PICTURE) {
                stopChild("the picture is taken");
            }
        }
    }

    private void publishNewest(final String requestId, final String why) {
        if (snapshotsWritable) {
            files.newest(snapshotMaxAge).ifPresent(picture -> publish(picture, requestId, why));
        }
    }

    private void publish(final SnapshotFiles.Picture picture, final String requestId, final String why) {
        try {
            final byte[] jpeg = JpegFitter.fit(picture.jpeg());
            publisher.snapshot(jpeg, picture.taken(), requestId);
            LOG.info("snapshot of {} bytes published ({})", jpeg.length, why);
        } catch (final IOException e) {
            LOG.warn("snapshot not published: {}", e.getMessage());
            supervisor.reportProblem("snapshot: " + e.getMessage());
        }
    }

    private void submit(final Runnable task) {
        try {
            executor.execute(task);
        } catch (final RejectedExecutionException e) {
            LOG.debug("camera event after the loop ended");
        }
    }

    private static void cancel(final ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
