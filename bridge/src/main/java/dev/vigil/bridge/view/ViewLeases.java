package dev.vigil.bridge.view;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.config.ViewSettings;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.protocol.Command;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open views of every robot. While a robot has at least one live lease, the bridge sends it a
 * leased start and re-sends it before the agent's lease runs out; when the last lease is released
 * or expires, it stops the robot after the linger. Leases live in this process's memory: a
 * restarted bridge forgets them, and the agent's own lease then stops the robot by itself.
 */
public final class ViewLeases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewLeases.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ViewSettings settings;
    private final CommandSink commands;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, RobotViews> robots = new ConcurrentHashMap<>();
    private final Duration agentLease;

    /** Creates the lease table; its sweeper runs on a daemon thread of its own. */
    public ViewLeases(final ViewSettings settings, final CommandSink commands, final Clock clock) {
        this.settings = settings;
        this.commands = commands;
        this.clock = clock;
        this.agentLease = settings.ttl().plus(settings.agentLeaseMargin());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "vigil-view-leases");
            thread.setDaemon(true);
            return thread;
        });
        final long sweep = settings.sweepEvery().toMillis();
        timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** Opens a view of {@code robot} with the configured TTL and starts the robot if it is the first. */
    public Lease open(final RobotSettings robot) throws TooManyViewsException {
        return open(robot, settings.ttl());
    }

    /** Opens a view that lives {@code ttl} unless renewed. */
    public Lease open(final RobotSettings robot, final Duration ttl) throws TooManyViewsException {
        final RobotViews views = robots.computeIfAbsent(robot.id(), id -> new RobotViews(robot));
        final String id = newId();
        synchronized (views) {
            if (views.leases.size() >= settings.maxPerRobot()) {
                throw new TooManyViewsException("robot " + robot.id() + " already has " + views.leases.size() + " views");
            }
            final Lease lease = new Lease(id, robot.id(), clock.instant().plus(ttl), ttl);
            views.leases.put(id, lease);
            LOG.info("View opened on robot {} ({} open)", robot.id(), views.leases.size());
            views.becameWatched();
            return lease;
        }
    }

    /** Extends lease {@code leaseId} of robot {@code robotId} by its TTL; empty when it is unknown or over. */
    public Optional<Lease> renew(final String robotId, final String leaseId) {
        final RobotViews views = robots.get(robotId);
        if (views == null) {
            return Optional.empty();
        }
        synchronized (views) {
            final Lease lease = views.leases.get(leaseId);
            if (lease == null || !clock.instant().isBefore(lease.until())) {
                return Optional.empty();
            }
            final Lease renewed = new Lease(lease.id(), lease.robotId(), clock.instant().plus(lease.ttl()), lease.ttl());
            views.leases.put(leaseId, renewed);
            return Optional.of(renewed);
        }
    }

    /** Ends lease {@code leaseId}; false when it was not open. */
    public boolean release(final String robotId, final String leaseId) {
        final RobotViews views = robots.get(robotId);
        if (views == null) {
            return false;
        }
        synchronized (views) {
            if (views.leases.remove(leaseId) == null) {
                return false;
            }
            LOG.info("View closed on robot {} ({} open)", robotId, views.leases.size());
            views.maybeUnwatched();
            return true;
        }
    }

    /** Whether {@code leaseId} is a live lease of robot {@code robotId}. */
    public boolean isLive(final String robotId, final String leaseId) {
        final RobotViews views = robots.get(robotId);
        if (views == null || leaseId == null) {
            return false;
        }
        synchronized (views) {
            final Lease lease = views.leases.get(leaseId);
            return lease != null && clock.instant().isBefore(lease.until());
        }
    }

    /** How many live views robot {@code robotId} has. */
    public int count(final String robotId) {
        final RobotViews views = robots.get(robotId);
        if (views == null) {
            return 0;
        }
        synchronized (views) {
            return views.leases.size();
        }
    }

    private void sweep() {
        final Instant now = clock.instant();
        for (final RobotViews views : robots.values()) {
            synchronized (views) {
                final int before = views.leases.size();
                views.leases.values().removeIf(lease -> !now.isBefore(lease.until()));
                if (views.leases.size() < before) {
                    LOG.info("{} view(s) of robot {} expired ({} open)", before - views.leases.size(),
                            views.robot.id(), views.leases.size());
                    views.maybeUnwatched();
                }
            }
        }
    }

    private static String newId() {
        final byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The views of one robot; guarded by its own monitor. */
    private final class RobotViews {
        private final RobotSettings robot;
        private final Map<String, Lease> leases = new HashMap<>();
        private ScheduledFuture<?> renewing;
        private ScheduledFuture<?> stopping;

        private RobotViews(final RobotSettings robot) {
            this.robot = robot;
        }

        private void becameWatched() {
            if (stopping != null) {
                stopping.cancel(false);
                stopping = null;
            }
            if (renewing == null) {
                sendStart();
                final long every = settings.renewEvery().toMillis();
                renewing = timer.scheduleAtFixedRate(this::renewStart, every, every, TimeUnit.MILLISECONDS);
            }
        }

        private void renewStart() {
            synchronized (this) {
                if (!leases.isEmpty()) {
                    sendStart();
                }
            }
        }

        private void sendStart() {
            commands.sendLater(robot, new Command(Command.Kind.START, agentLease, null));
        }

        private void maybeUnwatched() {
            if (!leases.isEmpty() || renewing == null) {
                return;
            }
            renewing.cancel(false);
            renewing = null;
            stopping = timer.schedule(this::stopIfUnwatched, settings.linger().toMillis(), TimeUnit.MILLISECONDS);
        }

        private void stopIfUnwatched() {
            synchronized (this) {
                if (leases.isEmpty() && renewing == null) {
                    stopping = null;
                    LOG.info("No views of robot {} for {}: stopping it", robot.id(), settings.linger());
                    commands.sendLater(robot, Command.stop());
                }
            }
        }
    }
}
