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
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording on request. An operator's recording holds a view lease (theirs, renewed like a viewer's
 * until it ends), so the robot streams while it lasts and no other view's end stops it, and switches
 * the relay's recording of the robot's path on; at its end, or when it is stopped, recording is
 * switched off and the lease let go. A robot an operator holds (stopped, privacy) is not recorded,
 * and a recording whose lease an operator's stop revoked ends. Nothing is recorded otherwise.
 *
 * <p>Running recordings live in a {@link RecordingStore}, the registry's database in production, so
 * that bridges behind a load balancer share them: any bridge shows and stops any recording, every
 * bridge renews their leases and ends those that are due (the relay switched off first, so a relay
 * that is away is asked again at the next sweep), and a bridge that restarts leaves them running.
 * A starting bridge switches recording off for every robot that has no recording in the store,
 * since nobody would ever switch it off. A relay disk (when it is this host's) with less free space
 * than the minimum refuses a recording and stops a running one; what was recorded stays, and
 * {@link #stopped} says why the recording ended.
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
        /** An operator stopped it (or stopped or held the robot). */
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

    private final RecordingSettings settings;
    private final RelayRecording relay;
    private final ViewLeases leases;
    private final RobotRegistry registry;
    private final RecordingStore store;
    private final Function<String, Optional<RobotSettings>> robots;
    private final Clock clock;
    private final DiskSpace disk;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean sweepFailing = new AtomicBoolean();

    /**
     * @param store      the running recordings (shared by the bridges on one database)
     * @param robots     the robot of an id, for a recording that this bridge did not start
     * @param renewEvery how often the recordings' view leases are renewed and their ends checked
     */
    public Recordings(final RecordingSettings settings, final RelayRecording relay, final ViewLeases leases,
                      final RobotRegistry registry, final RecordingStore store,
                      final Function<String, Optional<RobotSettings>> robots, final Duration renewEvery,
                      final Clock clock, final DiskSpace disk) {
        this.settings = settings;
        this.relay = relay;
        this.leases = leases;
        this.registry = registry;
        this.store = store;
        this.robots = robots;
        this.clock = clock;
        this.disk = disk;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "vigil-recordings");
            thread.setDaemon(true);
            return thread;
        });
        if (settings.enabled()) {
            final long every = renewEvery.toMillis();
            timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
            if (!settings.diskPath().isEmpty()) {
                final long check = settings.diskCheckEvery().toMillis();
                timer.scheduleWithFixedDelay(this::checkDisk, check, check, TimeUnit.MILLISECONDS);
            }
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
                if (store.get(robot.id()).filter(RecordingStore.Stored::running).isEmpty()) {
                    relay.record(robot.relayPath(), false);
                }
            }
            LOG.info("Recording is off for every robot until an operator asks for one");
        } catch (final RelayRecordingException | RuntimeException e) {
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
            final Instant now = clock.instant();
            final RecordingStore.Stored stored = new RecordingStore.Stored(robot.id(), lease.lease().id(), by, now,
                    now.plus(duration), null);
            store.put(stored).filter(earlier -> !earlier.leaseId().equals(stored.leaseId()))
                    .ifPresent(earlier -> leases.release(robot.id(), earlier.leaseId(), earlier.by()));
            LOG.info("Recording robot {} for {} (asked by {})", robot.id(), human(duration), by.name());
            return active(stored);
        } finally {
            lock.unlock();
        }
    }

    /** Stops recording {@code robot} as an operator asked; false when it was not recording. */
    public boolean stop(final RobotSettings robot, final String reason) throws RelayRecordingException {
        lock.lock();
        try {
            final Optional<RecordingStore.Stored> stored = store.get(robot.id()).filter(RecordingStore.Stored::running);
            if (stored.isEmpty()) {
                return false;
            }
            relay.record(robot.relayPath(), false);
            ended(stored.get(), Cause.STOPPED, reason);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Marks {@code stored} ended, unless another bridge did, and lets its view lease go. */
    private void ended(final RecordingStore.Stored stored, final Cause cause, final String reason) {
        if (!store.end(stored.robotId(), stored.leaseId(), new Stopped(clock.instant(), cause, reason))) {
            return;
        }
        leases.release(stored.robotId(), stored.leaseId(), stored.by());
        if (cause == Cause.DISK_FULL) {
            LOG.warn("Recording of robot {} stopped early: {}; what was recorded stays", stored.robotId(), reason);
        } else {
            LOG.info("Recording of robot {} stopped: {}", stored.robotId(), reason);
        }
    }

    /** The running recording of robot {@code robotId}. */
    public Optional<Active> active(final String robotId) {
        return store.get(robotId).filter(RecordingStore.Stored::running).map(Recordings::active);
    }

    /** How the last recording of robot {@code robotId} ended, while none runs. */
    public Optional<Stopped> stopped(final String robotId) {
        return store.get(robotId).map(RecordingStore.Stored::ended);
    }

    private static Active active(final RecordingStore.Stored stored) {
        return new Active(stored.robotId(), stored.since(), stored.until(), stored.by().name());
    }

    /** The recorded spans of {@code robot}, and the segments the relay cannot read. */
    public ClipList clips(final RobotSettings robot) throws RelayRecordingException {
        return relay.clips(robot.relayPath());
    }

    /** The relay, for serving clips. */
    public RelayRecording relay() {
        return relay;
    }

    /**
     * Every bridge, every renewal period: ends the recordings that are due, or whose view lease is
     * gone (an operator's stop revoked it), and renews the others' leases.
     */
    private void sweep() {
        try {
            for (final RecordingStore.Stored stored : store.running()) {
                if (!clock.instant().isBefore(stored.until())) {
                    finish(stored, Cause.OVER, "its " + human(Duration.between(stored.since(), stored.until())) + " are over");
                } else if (leases.renew(stored.robotId(), stored.leaseId(), stored.by()).isEmpty()) {
                    finish(stored, Cause.STOPPED, "its view lease ended (an operator's stop or hold revoked it, or no bridge renewed it in time)");
                }
            }
            if (sweepFailing.compareAndSet(true, false)) {
                LOG.info("Recordings: the registry database answers again");
            }
        } catch (final RuntimeException e) {
            if (sweepFailing.compareAndSet(false, true)) {
                LOG.warn("Recordings cannot be renewed or ended for now: {}", e.getMessage());
            }
        }
    }

    /**
     * Switches {@code stored} off at the relay, then ends it; a relay that is away is asked again next sweep.
     * Nothing happens when it has ended, or a newer recording of the robot replaced it, since it was read:
     * the relay's switch is the robot's, and it would stop that newer recording.
     */
    private void finish(final RecordingStore.Stored stored, final Cause cause, final String reason) {
        lock.lock();
        try {
            if (store.get(stored.robotId()).filter(now -> now.running() && now.leaseId().equals(stored.leaseId())).isEmpty()) {
                return;
            }
            final Optional<RobotSettings> robot = robots.apply(stored.robotId());
            if (robot.isPresent()) {
                relay.record(robot.get().relayPath(), false);
            }
            ended(stored, cause, reason);
        } catch (final RelayRecordingException e) {
            LOG.warn("Recording of robot {} should have stopped ({}), but: {}; asking again", stored.robotId(), reason,
                    e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void checkDisk() {
        try {
            final List<RecordingStore.Stored> running = store.running();
            if (running.isEmpty()) {
                return;
            }
            diskProblem().ifPresent(problem -> {
                for (final RecordingStore.Stored stored : running) {
                    finish(stored, Cause.DISK_FULL, problem);
                }
            });
        } catch (final RuntimeException e) {
            LOG.warn("The recordings' disk check failed: {}", e.getMessage());
        }
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
