package dev.vigil.bridge.view;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.auth.SecretHash;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.config.ViewSettings;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.Hold;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open views of every robot. While a robot has at least one live lease, a leased start in the
 * views' name ({@code "holder":"views"}) goes to it and again every {@code views.renew-every}, before
 * the agent's lease runs out; when the last lease is released or expires, the views' lease is let go
 * of after the linger (a stop for {@code views} only: a stream that motion or a person's start also
 * holds goes on). A lease belongs to whoever opened it:
 * only they, or an operator, may renew or release it. Each user holds at most their own number of
 * views, and a robot at most {@code views.max-per-robot}. No view opens, and no start goes out, while
 * an operator holds the robot.
 *
 * <p>Everything lives in the {@link LeaseStore}, none of it in this bridge's memory: the leases, and
 * which robots are watched with their next start and their stop time. Every bridge that shares the
 * store runs the same sweep ({@code views.sweep-every}): it takes out expired leases, and claims the
 * starts and stops that are due; a claim is atomic, so exactly one bridge sends each. A view opened
 * through one bridge is renewed and released through any other, and a bridge killed mid-view leaves
 * the next start and the stop to the others.
 */
public final class ViewLeases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewLeases.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Guards the count-then-insert of a view and the other read-modify-writes of the store. A lock, not
     * {@code synchronized}: the store may be the database, so the guarded code waits on JDBC, and on Java
     * 21 a virtual thread (every Helidon request runs on one) that blocks inside {@code synchronized} pins
     * its carrier; with as many carriers as cores, a few such requests waiting on each other hung a whole
     * bridge.
     */
    private final ReentrantLock lock = new ReentrantLock();

    private final ViewSettings settings;
    private final CommandSink commands;
    private final Clock clock;
    private final LeaseStore store;
    private final Function<String, Hold> holds;
    private final Function<String, Optional<RobotSettings>> robots;
    private final ScheduledExecutorService timer;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Duration agentLease;
    /** What the last sweep read, for the robots' JSON: views per robot and pending stops. */
    private volatile Map<String, Integer> counts = Map.of();
    private volatile Map<String, Instant> stops = Map.of();

    /**
     * Creates the lease table; its sweeper runs on a daemon thread of its own.
     *
     * @param holds  the operator's hold of a robot by id
     * @param robots the robot of an id (to send it its start and stop), if it is still in the fleet
     */
    public ViewLeases(final ViewSettings settings, final CommandSink commands, final Clock clock, final LeaseStore store,
                      final Function<String, Hold> holds, final Function<String, Optional<RobotSettings>> robots) {
        this.settings = settings;
        this.commands = commands;
        this.clock = clock;
        this.store = store;
        this.holds = holds;
        this.robots = robots;
        this.agentLease = settings.ttl().plus(settings.agentLeaseMargin());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "vigil-view-leases");
            thread.setDaemon(true);
            return thread;
        });
        final long sweep = settings.sweepEvery().toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** Calls {@code listener} with a robot's id whenever its views change (opened, closed, expired, revoked). */
    public void addListener(final Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Opens a view of {@code robot} for {@code by} with the configured TTL, and starts the robot if it is the first. */
    public OpenedLease open(final RobotSettings robot, final Principal by) throws TooManyViewsException, RobotHeldException {
        final Hold hold = holds.apply(robot.id());
        if (hold.holds()) {
            throw new RobotHeldException(hold, hold == Hold.PRIVACY
                    ? "the camera of robot " + robot.id() + " is disabled (privacy); an operator must enable it"
                    : "robot " + robot.id() + " was stopped by an operator; an operator must start it again");
        }
        final String key = newSecret(32);
        final OpenedLease opened;
        final boolean start;
        lock.lock();
        try {
            final int ofRobot = store.countByRobot(robot.id());
            if (ofRobot >= settings.maxPerRobot()) {
                throw new TooManyViewsException("robot " + robot.id() + " already has " + ofRobot + " views");
            }
            final int ofOwner = store.countByOwner(by.owner());
            if (ofOwner >= by.maxViews()) {
                throw new TooManyViewsException("you already hold " + ofOwner + " open views (at most " + by.maxViews()
                        + "); close one first");
            }
            final Instant now = clock.instant();
            final Lease lease = new Lease(newSecret(12), robot.id(), by.owner(), SecretHash.sha256(key),
                    now.plus(settings.ttl()), settings.ttl());
            store.put(lease);
            LOG.info("View opened on robot {} by {} ({} open)", robot.id(), by.name(), ofRobot + 1);
            // The first view starts the robot at once; a later one only cancels a pending stop.
            start = store.claimStart(robot.id(), now, now.plus(settings.renewEvery()));
            opened = new OpenedLease(lease, key);
        } finally {
            lock.unlock();
        }
        if (start) {
            sendStart(robot);
        }
        recount(robot.id());
        return opened;
    }

    /** Extends lease {@code leaseId} of robot {@code robotId} by its TTL, when {@code by} may; empty when it is unknown, over or not theirs. */
    public Optional<Lease> renew(final String robotId, final String leaseId, final Principal by) {
        lock.lock();
        try {
            final Optional<Lease> lease = store.get(robotId, leaseId).filter(l -> l.liveAt(clock.instant()) && mayTouch(l, by));
            if (lease.isEmpty()) {
                return Optional.empty();
            }
            final Lease renewed = lease.get().renewedUntil(clock.instant().plus(lease.get().ttl()));
            store.put(renewed);
            return Optional.of(renewed);
        } finally {
            lock.unlock();
        }
    }

    /** Ends lease {@code leaseId}, when {@code by} may; false when it was not open or not theirs. */
    public boolean release(final String robotId, final String leaseId, final Principal by) {
        lock.lock();
        try {
            final Optional<Lease> lease = store.get(robotId, leaseId).filter(l -> mayTouch(l, by));
            if (lease.isEmpty() || !store.remove(robotId, leaseId)) {
                return false;
            }
            final int left = store.countByRobot(robotId);
            LOG.info("View closed on robot {} by {} ({} open)", robotId, by.name(), left);
            if (left == 0) {
                store.scheduleStop(robotId, clock.instant().plus(settings.linger()));
            }
        } finally {
            lock.unlock();
        }
        recount(robotId);
        return true;
    }

    /**
     * Ends every view of robot {@code robotId} at once, with no linger and no stop of its own (an
     * operator's stop sends that); answers how many there were.
     */
    public int revokeAll(final String robotId) {
        final int revoked;
        lock.lock();
        try {
            revoked = store.removeAll(robotId).size();
            store.unwatch(robotId);
        } finally {
            lock.unlock();
        }
        if (revoked > 0) {
            LOG.info("{} view(s) of robot {} revoked", revoked, robotId);
        }
        recount(robotId);
        return revoked;
    }

    /** Whether {@code key} is the relay key of a live lease of robot {@code robotId}. */
    public boolean isLiveKey(final String robotId, final String key) {
        if (key == null || key.isEmpty() || key.length() > 128) {
            return false;
        }
        return store.byKeyHash(robotId, SecretHash.sha256(key)).filter(l -> l.liveAt(clock.instant())).isPresent();
    }

    /** How many live views robot {@code robotId} has (as this bridge last read the store; at once for its own changes). */
    public int count(final String robotId) {
        return counts.getOrDefault(robotId, 0);
    }

    /** When the robot will be stopped because nobody watches it any more, if that is pending. */
    public Optional<Instant> stopsAt(final String robotId) {
        return Optional.ofNullable(stops.get(robotId));
    }

    private static boolean mayTouch(final Lease lease, final Principal by) {
        return lease.owner().equals(by.owner()) || by.role().includes(Role.OPERATOR);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (final RuntimeException e) {
            // The store is away (the database): the next sweep tries again; the agents' own leases run meanwhile.
            LOG.warn("Sweeping the view leases failed: {}", e.getMessage());
        }
    }

    /** Takes out expired leases, and sends the starts and stops that are due (and that this bridge claims). */
    void sweep() {
        final Instant now = clock.instant();
        final List<Lease> expired = store.removeExpired(now);
        final Set<String> expiredOf = new HashSet<>();
        expired.forEach(lease -> expiredOf.add(lease.robotId()));
        final Map<String, Integer> nowCounts = store.counts();
        for (final String robotId : expiredOf) {
            LOG.info("View(s) of robot {} expired ({} open)", robotId, nowCounts.getOrDefault(robotId, 0));
        }
        final Map<String, LeaseStore.Watch> watched = store.watched();
        final Map<String, Instant> nowStops = new HashMap<>();
        for (final Map.Entry<String, Integer> robot : nowCounts.entrySet()) {
            final LeaseStore.Watch watch = watched.get(robot.getKey());
            if ((watch == null || !watch.startDue().isAfter(now) || watch.stopAt() != null)
                    && store.claimStart(robot.getKey(), now, now.plus(settings.renewEvery()))) {
                robots.apply(robot.getKey()).ifPresent(this::sendStart);
            }
        }
        for (final Map.Entry<String, LeaseStore.Watch> watch : watched.entrySet()) {
            final String robotId = watch.getKey();
            if (nowCounts.getOrDefault(robotId, 0) > 0) {
                continue;
            }
            final Instant stopAt = watch.getValue().stopAt() != null ? watch.getValue().stopAt()
                    : store.scheduleStop(robotId, now.plus(settings.linger())).orElse(null);
            if (stopAt == null) {
                continue;
            }
            if (!stopAt.isAfter(now) && store.claimStop(robotId, now)) {
                stop(robotId);
            } else {
                nowStops.put(robotId, stopAt);
            }
        }
        final Map<String, Integer> before = counts;
        final Map<String, Instant> stopsBefore = stops;
        counts = Map.copyOf(nowCounts);
        stops = Map.copyOf(nowStops);
        // Views that another bridge opened or closed, and stops that came or went, show as changes too.
        final Set<String> changed = new HashSet<>(expiredOf);
        for (final String robotId : union(before.keySet(), nowCounts.keySet())) {
            if (!java.util.Objects.equals(before.get(robotId), nowCounts.get(robotId))) {
                changed.add(robotId);
            }
        }
        for (final String robotId : union(stopsBefore.keySet(), nowStops.keySet())) {
            if (!java.util.Objects.equals(stopsBefore.get(robotId), nowStops.get(robotId))) {
                changed.add(robotId);
            }
        }
        changed.forEach(this::changed);
    }

    private static Set<String> union(final Set<String> a, final Set<String> b) {
        final Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private void sendStart(final RobotSettings robot) {
        if (holds.apply(robot.id()).holds()) {
            LOG.info("Not starting robot {}: an operator holds it", robot.id());
            return;
        }
        commands.sendLater(robot, new Command(Command.Kind.START, agentLease, null, Command.VIEWS));
    }

    private void stop(final String robotId) {
        final Optional<RobotSettings> robot = robots.apply(robotId);
        if (robot.isPresent()) {
            LOG.info("No views of robot {} for {}: letting go of the views' lease", robotId, settings.linger());
            commands.sendLater(robot.get(), Command.release(Command.VIEWS));
        }
    }

    /** Reads robot {@code robotId}'s count and stop time again after this bridge changed them, and tells the listeners. */
    private void recount(final String robotId) {
        final int count = store.countByRobot(robotId);
        final Map<String, Integer> nowCounts = new HashMap<>(counts);
        if (count > 0) {
            nowCounts.put(robotId, count);
        } else {
            nowCounts.remove(robotId);
        }
        counts = Map.copyOf(nowCounts);
        final Map<String, Instant> nowStops = new HashMap<>(stops);
        final LeaseStore.Watch watch = count > 0 ? null : store.watched().get(robotId);
        if (watch != null && watch.stopAt() != null) {
            nowStops.put(robotId, watch.stopAt());
        } else {
            nowStops.remove(robotId);
        }
        stops = Map.copyOf(nowStops);
        changed(robotId);
    }

    private void changed(final String robotId) {
        for (final Consumer<String> listener : listeners) {
            try {
                listener.accept(robotId);
            } catch (final RuntimeException e) {
                LOG.warn("A view listener failed: {}", e.toString());
            }
        }
    }

    private static String newSecret(final int bytes) {
        final byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
