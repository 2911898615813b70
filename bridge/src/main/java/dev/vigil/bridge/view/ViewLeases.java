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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open views of every robot. While a robot has at least one live lease, the bridge sends it a
 * leased start and re-sends it before the agent's lease runs out; when the last lease is released
 * or expires, it stops the robot after the linger. A lease belongs to whoever opened it: only they,
 * or an operator, may renew or release it. Each user holds at most their own number of views, and
 * a robot at most {@code views.max-per-robot}. No view opens, and no start goes out, while an
 * operator holds the robot. The leases themselves live in a {@link LeaseStore}.
 */
public final class ViewLeases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewLeases.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ViewSettings settings;
    private final CommandSink commands;
    private final Clock clock;
    private final LeaseStore store;
    private final Function<String, Hold> holds;
    private final ScheduledExecutorService timer;
    private final Map<String, RobotViews> robots = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Duration agentLease;

    /**
     * Creates the lease table; its sweeper runs on a daemon thread of its own.
     *
     * @param holds the operator's hold of a robot by id
     */
    public ViewLeases(final ViewSettings settings, final CommandSink commands, final Clock clock, final LeaseStore store,
                      final Function<String, Hold> holds) {
        this.settings = settings;
        this.commands = commands;
        this.clock = clock;
        this.store = store;
        this.holds = holds;
        this.agentLease = settings.ttl().plus(settings.agentLeaseMargin());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "vigil-view-leases");
            thread.setDaemon(true);
            return thread;
        });
        final long sweep = settings.sweepEvery().toMillis();
        timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
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
        synchronized (this) {
            final int ofRobot = store.countByRobot(robot.id());
            if (ofRobot >= settings.maxPerRobot()) {
                throw new TooManyViewsException("robot " + robot.id() + " already has " + ofRobot + " views");
            }
            final int ofOwner = store.countByOwner(by.owner());
            if (ofOwner >= by.maxViews()) {
                throw new TooManyViewsException("you already hold " + ofOwner + " open views (at most " + by.maxViews()
                        + "); close one first");
            }
            final Lease lease = new Lease(newSecret(12), robot.id(), by.owner(), SecretHash.sha256(key),
                    clock.instant().plus(settings.ttl()), settings.ttl());
            store.put(lease);
            LOG.info("View opened on robot {} by {} ({} open)", robot.id(), by.name(), ofRobot + 1);
            robots.computeIfAbsent(robot.id(), id -> new RobotViews(robot)).becameWatched();
            opened = new OpenedLease(lease, key);
        }
        changed(robot.id());
        return opened;
    }

    /** Extends lease {@code leaseId} of robot {@code robotId} by its TTL, when {@code by} may; empty when it is unknown, over or not theirs. */
    public Optional<Lease> renew(final String robotId, final String leaseId, final Principal by) {
        synchronized (this) {
            final Optional<Lease> lease = store.get(robotId, leaseId).filter(l -> l.liveAt(clock.instant()) && mayTouch(l, by));
            if (lease.isEmpty()) {
                return Optional.empty();
            }
            final Lease renewed = lease.get().renewedUntil(clock.instant().plus(lease.get().ttl()));
            store.put(renewed);
            return Optional.of(renewed);
        }
    }

    /** Ends lease {@code leaseId}, when {@code by} may; false when it was not open or not theirs. */
    public boolean release(final String robotId, final String leaseId, final Principal by) {
        synchronized (this) {
            final Optional<Lease> lease = store.get(robotId, leaseId).filter(l -> mayTouch(l, by));
            if (lease.isEmpty() || !store.remove(robotId, leaseId)) {
                return false;
            }
            LOG.info("View closed on robot {} by {} ({} open)", robotId, by.name(), store.countByRobot(robotId));
            final RobotViews views = robots.get(robotId);
            if (views != null) {
                views.maybeUnwatched();
            }
        }
        changed(robotId);
        return true;
    }

    /**
     * Ends every view of robot {@code robotId} at once, with no linger and no stop of its own (an
     * operator's stop sends that); answers how many there were.
     */
    public int revokeAll(final String robotId) {
        final int revoked;
        synchronized (this) {
            revoked = store.removeAll(robotId).size();
            final RobotViews views = robots.get(robotId);
            if (views != null) {
                views.forget();
            }
        }
        if (revoked > 0) {
            LOG.info("{} view(s) of robot {} revoked", revoked, robotId);
        }
        changed(robotId);
        return revoked;
    }

    /** Whether {@code key} is the relay key of a live lease of robot {@code robotId}. */
    public boolean isLiveKey(final String robotId, final String key) {
        if (key == null || key.isEmpty() || key.length() > 128) {
            return false;
        }
        return store.byKeyHash(robotId, SecretHash.sha256(key)).filter(l -> l.liveAt(clock.instant())).isPresent();
    }

    /** How many live views robot {@code robotId} has. */
    public int count(final String robotId) {
        synchronized (this) {
            return store.countByRobot(robotId);
        }
    }

    /** When the robot will be stopped because nobody watches it any more, if that is pending. */
    public Optional<Instant> stopsAt(final String robotId) {
        final RobotViews views = robots.get(robotId);
        if (views == null) {
            return Optional.empty();
        }
        synchronized (this) {
            return Optional.ofNullable(views.stopAt);
        }
    }

    private static boolean mayTouch(final Lease lease, final Principal by) {
        return lease.owner().equals(by.owner()) || by.role().includes(Role.OPERATOR);
    }

    private void sweep() {
        final List<Lease> expired;
        final Set<String> touched = new java.util.HashSet<>();
        synchronized (this) {
            expired = store.removeExpired(clock.instant());
            for (final Lease lease : expired) {
                touched.add(lease.robotId());
            }
            for (final String robotId : touched) {
                LOG.info("View(s) of robot {} expired ({} open)", robotId, store.countByRobot(robotId));
                final RobotViews views = robots.get(robotId);
                if (views != null) {
                    views.maybeUnwatched();
                }
            }
        }
        touched.forEach(this::changed);
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

    /** The timers of one robot; guarded by the {@link ViewLeases} monitor. */
    private final class RobotViews {
        private final RobotSettings robot;
        private ScheduledFuture<?> renewing;
        private ScheduledFuture<?> stopping;
        private Instant stopAt;

        private RobotViews(final RobotSettings robot) {
            this.robot = robot;
        }

        private void becameWatched() {
            if (stopping != null) {
                stopping.cancel(false);
                stopping = null;
                stopAt = null;
            }
            if (renewing == null) {
                sendStart();
                final long every = settings.renewEvery().toMillis();
                renewing = timer.scheduleAtFixedRate(this::renewStart, every, every, TimeUnit.MILLISECONDS);
            }
        }

        private void renewStart() {
            synchronized (ViewLeases.this) {
                if (store.countByRobot(robot.id()) > 0) {
                    sendStart();
                }
            }
        }

        private void sendStart() {
            if (holds.apply(robot.id()).holds()) {
                LOG.info("Not starting robot {}: an operator holds it", robot.id());
                return;
            }
            commands.sendLater(robot, new Command(Command.Kind.START, agentLease, null));
        }

        private void maybeUnwatched() {
            if (store.countByRobot(robot.id()) > 0 || renewing == null) {
                return;
            }
            renewing.cancel(false);
            renewing = null;
            stopAt = clock.instant().plus(settings.linger());
            stopping = timer.schedule(this::stopIfUnwatched, settings.linger().toMillis(), TimeUnit.MILLISECONDS);
        }

        private void forget() {
            if (renewing != null) {
                renewing.cancel(false);
                renewing = null;
            }
            if (stopping != null) {
                stopping.cancel(false);
                stopping = null;
            }
            stopAt = null;
        }

        private void stopIfUnwatched() {
            final boolean stopped;
            synchronized (ViewLeases.this) {
                stopped = store.countByRobot(robot.id()) == 0 && renewing == null && stopping != null;
                if (stopped) {
                    stopping = null;
                    stopAt = null;
                    LOG.info("No views of robot {} for {}: stopping it", robot.id(), settings.linger());
                    commands.sendLater(robot, Command.stop());
                }
            }
            if (stopped) {
                changed(robot.id());
            }
        }
    }
}
