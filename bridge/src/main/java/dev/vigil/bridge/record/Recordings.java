package dev.vigil.bridge.record;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.config.RecordingSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.mqtt.RobotStatus;
import dev.vigil.bridge.view.OpenedLease;
import dev.vigil.bridge.view.RobotHeldException;
import dev.vigil.bridge.view.TooManyViewsException;
import dev.vigil.bridge.view.ViewLeases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording on request. An operator's recording holds a view lease (theirs, renewed like a viewer's
 * until it ends), so the robot streams while it lasts and no other view's end stops it, and switches
 * the relay's recording of the robot's path on; at its end, or when it is stopped, recording is
 * switched off and the lease let go. A robot an operator holds (stopped, privacy) is not recorded. Nothing is recorded otherwise: a bridge that starts switches recording off for every robot,
 * since a recording that an earlier bridge left on has no end any more. A relay disk (when it is this
 * host's) with less free space than the minimum refuses a recording and stops a running one; what was
 * recorded stays, and {@link #stopped} says why the recording ended.
 */
public final class Recordings implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Recordings.class);

    /**
     * Guards starting and stopping recordings. A lock, not {@code synchronized}: the guarded code waits on
     * the relay's HTTP API, and on Java 21 a virtual thread (every Helidon request runs on one) that
     * blocks inside {@code synchronized} pins its carrier; with as many carriers as cores, a few such
     * requests waiting on each other hung a whole bridge.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private static final Duration RESET_RETRY = Duration.ofSeconds(5);
    private static final int RESET_TRIES = 24;

    /**
     * A running recording.
     *
     * @param robotId whose stream
     * @param since   when it started
     * @param until   when it ends by itself
     * @param by      who asked
     */
    public record Active(String robotId, Instant since, Instant until, String by) {
    }

    /** Why a recording ended. */
    public enum Cause {
        /** Its duration was over. */
        OVER,
        /** An operator stopped it. */
        STOPPED,
        /** The relay's recording disk is full, or nearly. */
        DISK_FULL
    }

    /**
     * How the last recording of a robot ended.
     *
     * @param at     when
     * @param cause  why, for programs
     * @param reason why, for people
     */
    public record Stopped(Instant at, Cause cause, String reason) {
    }

    /** The free space of a folder, in bytes; a fake in unit tests. */
    @FunctionalInterface
    public interface DiskSpace {
        long usable(Path dir) throws IOException;
    }

    private record Running(Active active, RobotSettings robot, Principal by, String leaseId, ScheduledFuture<?> end,
                           ScheduledFuture<?> renew) {
    }

    private final RecordingSettings settings;
    private final RelayRecording relay;
    private final ViewLeases leases;
    private final RobotRegistry registry;
    private final Duration renewEvery;
    private final Clock clock;
    private final DiskSpace disk;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Stopped> stopped = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    /**
     * @param renewEvery how often a recording's view lease is renewed (the views' own renewal)
     */
    public Recordings(final RecordingSettings settings, final RelayRecording relay, final ViewLeases leases,
                      final RobotRegistry registry, final Duration renewEvery, final Clock clock, final DiskSpace disk) {
        this.settings = settings;
        this.relay = relay;
        this.leases = leases;
        this.registry = registry;
        this.renewEvery = renewEvery;
        this.clock = clock;
        this.disk = disk;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "vigil-recordings");
            thread.setDaemon(true);
            return thread;
        });
        if (settings.enabled() && !settings.diskPath().isEmpty()) {
            final long every = settings.diskCheckEvery().toMillis();
            timer.scheduleWithFixedDelay(this::checkDisk, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** The real free space of a folder. */
    public static long usableSpace(final Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Whether recording is configured. */
    public boolean enabled() {
        return settings.enabled();
    }

    /** The longest recording, and the one given when none is asked. */
    public Duration maxDuration() {
        return settings.maxDuration();
    }

    /** Switches recording off for {@code robots} in the background, retrying while the relay is away. */
    public void resetInBackground(final Collection<RobotSettings> robots) {
        if (!settings.enabled()) {
            return;
        }
        timer.execute(() -> reset(List.copyOf(robots), 1));
    }

    private void reset(final List<RobotSettings> robots, final int attempt) {
        try {
            for (final RobotSettings robot : robots) {
                if (!running.containsKey(robot.id())) {
                    relay.record(robot.relayPath(), false);
                }
            }
            LOG.info("Recording is off for every robot until an operator asks for one");
        } catch (final RelayRecordingException e) {
            if (attempt < RESET_TRIES) {
                timer.schedule(() -> reset(robots, attempt + 1), RESET_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                LOG.warn("Could not make sure that recording is off: {}", e.getMessage());
            }
        }
    }

    /**
     * Starts recording {@code robot} for {@code duration} (an earlier one of it is replaced).
     *
     * @throws RecordingRefusedException when the robot is offline or the relay's disk is nearly full
     * @throws RelayRecordingException   when the relay did not switch recording on
     */
    public Active start(final RobotSettings robot, final Duration duration, final Principal by)
            throws RecordingRefusedException, RelayRecordingException, TooManyViewsException {
        lock.lock();
        try {
            final RobotStatus status = registry.status(robot.id());
            if (status == null || !status.online()) {
                throw new RecordingRefusedException(RecordingRefusedException.Reason.OFFLINE, "robot " + robot.id() + " is "
                        + (status == null ? "unknown" : status.availability()) + ": it cannot stream, so nothing can be recorded");
            }
            final Optional<String> full = diskProblem();
            if (full.isPresent()) {
                throw new RecordingRefusedException(RecordingRefusedException.Reason.DISK_FULL, full.get());
            }
            final OpenedLease lease;
            try {
                lease = leases.open(robot, by);
            } catch (final RobotHeldException e) {
                throw new RecordingRefusedException(RecordingRefusedException.Reason.HELD, e.getMessage());
            }
            try {
                relay.record(robot.relayPath(), true);
            } catch (final RelayRecordingException e) {
                leases.release(robot.id(), lease.lease().id(), by);
                throw e;
            }
            final Running earlier = running.remove(robot.id());
            if (earlier != null) {
                end(earlier);
            }
            final Instant now = clock.instant();
            final Active active = new Active(robot.id(), now, now.plus(duration), by.name());
            final ScheduledFuture<?> end = timer.schedule(() -> finish(robot.id(), Cause.OVER, "its " + human(duration) + " are over"),
                    duration.toMillis(), TimeUnit.MILLISECONDS);
            final long every = renewEvery.toMillis();
            final ScheduledFuture<?> renew = timer.scheduleAtFixedRate(() -> leases.renew(robot.id(), lease.lease().id(), by),
                    every, every, TimeUnit.MILLISECONDS);
            running.put(robot.id(), new Running(active, robot, by, lease.lease().id(), end, renew));
            stopped.remove(robot.id());
            LOG.info("Recording robot {} for {} (asked by {})", robot.id(), human(duration), by.name());
            return active;
        } finally {
            lock.unlock();
        }
    }

    private void end(final Running run) {
        run.end().cancel(false);
        run.renew().cancel(false);
        leases.release(run.robot().id(), run.leaseId(), run.by());
    }

    /** Stops recording {@code robot} as an operator asked; false when it was not recording. */
    public boolean stop(final RobotSettings robot, final String reason) throws RelayRecordingException {
        return stop(robot, Cause.STOPPED, reason);
    }

    private boolean stop(final RobotSettings robot, final Cause cause, final String reason) throws RelayRecordingException {
        lock.lock();
        try {
            final Running run = running.get(robot.id());
            if (run == null) {
                return false;
            }
            relay.record(robot.relayPath(), false);
            running.remove(robot.id());
            end(run);
            stopped.put(robot.id(), new Stopped(clock.instant(), cause, reason));
            if (cause == Cause.DISK_FULL) {
                LOG.warn("Recording of robot {} stopped early: {}; what was recorded stays", robot.id(), reason);
            } else {
                LOG.info("Recording of robot {} stopped: {}", robot.id(), reason);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The running recording of robot {@code robotId}. */
    public Optional<Active> active(final String robotId) {
        return Optional.ofNullable(running.get(robotId)).map(Running::active);
    }

    /** How the last recording of robot {@code robotId} ended, while none runs and since this bridge started. */
    public Optional<Stopped> stopped(final String robotId) {
        return running.containsKey(robotId) ? Optional.empty() : Optional.ofNullable(stopped.get(robotId));
    }

    /** The recorded spans of {@code robot}, and the segments the relay cannot read. */
    public ClipList clips(final RobotSettings robot) throws RelayRecordingException {
        return relay.clips(robot.relayPath());
    }

    /** The relay, for serving clips. */
    public RelayRecording relay() {
        return relay;
    }

    private void finish(final String robotId, final Cause cause, final String reason) {
        final Running run = running.get(robotId);
        if (run == null) {
            return;
        }
        try {
            stop(run.robot(), cause, reason);
        } catch (final RelayRecordingException e) {
            LOG.warn("Recording of robot {} should have stopped ({}), but: {}; retrying", robotId, reason, e.getMessage());
            timer.schedule(() -> finish(robotId, cause, reason), RESET_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void checkDisk() {
        if (running.isEmpty()) {
            return;
        }
        diskProblem().ifPresent(problem -> {
            for (final String robotId : List.copyOf(running.keySet())) {
                finish(robotId, Cause.DISK_FULL, problem);
            }
        });
    }

    private Optional<String> diskProblem() {
        if (settings.diskPath().isEmpty()) {
            return Optional.empty();
        }
        try {
            final long free = disk.usable(Path.of(settings.diskPath()));
            if (free < settings.minFreeSpace()) {
                return Optional.of((free == 0 ? "the relay's recording disk (" + settings.diskPath() + ") is full"
                        : "the relay's recording disk (" + settings.diskPath() + ") has only " + size(free) + " free")
                        + ", less than the " + size(settings.minFreeSpace()) + " a recording needs");
            }
            return Optional.empty();
        } catch (final IOException e) {
            return Optional.of("the relay's recording folder " + settings.diskPath() + " cannot be checked ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code 512 bytes}, {@code 16 KiB}, {@code 3 MiB}, {@code 1.5 GiB}: rounded down, never to nothing. */
    static String size(final long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%.1f GiB", Math.floor(bytes * 10.0 / (1L << 30)) / 10);
        }
        if (bytes >= 1L << 20) {
            return (bytes >> 20) + " MiB";
        }
        return bytes >= 1L << 10 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }

    private static String human(final Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
