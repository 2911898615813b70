package dev.vigil.bridge.fleet;

import dev.vigil.bridge.config.AuthSettings;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RelaySettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.store.AccountStore;
import dev.vigil.bridge.store.RobotStore;
import dev.vigil.bridge.store.StoreException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robots, users and tokens the bridge serves: those of {@code bridge.conf} and those of the
 * registry, which the CLI, the registry API or another bridge may change at any time. The fleet
 * reads the registry's change counter every {@code database.refresh-every} and, when it moved,
 * reads the registry again and tells its listeners (the MQTT link subscribes to new robots).
 * A registry entry whose id, topic or relay path is already taken by {@code bridge.conf} is left
 * out with a warning. While the database is out of reach the last snapshot stays in use.
 */
public final class Fleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    /**
     * Guards one registry read at a time. A lock, not {@code synchronized}: the read waits on JDBC, and on
     * Java 21 a virtual thread (every Helidon request runs on one) that blocks inside {@code synchronized}
     * pins its carrier; with as many carriers as cores, a few such requests waiting on each other hung a
     * whole bridge.
     */
    private final ReentrantLock lock = new ReentrantLock();

    private final BridgeSettings settings;
    private final RobotStore robots;
    private final AccountStore accounts;
    private final List<Consumer<FleetSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile FleetSnapshot snapshot;
    private volatile Map<String, RobotSettings> byPath = Map.of();
    private volatile boolean reachable = true;

    /** Reads the registry once (throws {@link StoreException} when it cannot); call {@link #start()} to follow it. */
    public Fleet(final BridgeSettings settings, final RobotStore robots, final AccountStore accounts) {
        this.settings = settings;
        this.robots = robots;
        this.accounts = accounts;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "vigil-fleet-refresh");
            thread.setDaemon(true);
            return thread;
        });
        install(read(robots.version()));
    }

    /** Follows the registry's changes from now on. */
    public void start() {
        final long every = settings.database().refreshEvery().toMillis();
        timer.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Reads the registry again if it changed since the last read; throws {@link StoreException} when out of reach. */
    public void refresh() {
        lock.lock();
        try {
            final long version = robots.version();
            if (version != snapshot.version()) {
                install(read(version));
            }
        } finally {
            lock.unlock();
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
            if (!reachable) {
                reachable = true;
                LOG.info("The registry database {} answers again", settings.database().describe());
            }
        } catch (final StoreException e) {
            if (reachable) {
                reachable = false;
                LOG.warn("Cannot read the registry ({}); serving what it held last until it answers", e.getMessage());
            }
        } catch (final RuntimeException e) {
            LOG.warn("Reading the registry failed: {}", e.toString());
        }
    }

    private FleetSnapshot read(final long version) {
        final Map<String, RobotSettings> all = new LinkedHashMap<>(settings.robots());
        final Set<String> topics = new HashSet<>();
        final Set<String> paths = new HashSet<>();
        settings.robots().values().forEach(r -> {
            topics.add(r.baseTopic());
            paths.add(r.relayPath());
        });
        for (final RobotSettings robot : robots.all()) {
            if (all.containsKey(robot.id()) || topics.contains(robot.baseTopic()) || paths.contains(robot.relayPath())) {
                LOG.warn("Registry robot {} is left out: bridge.conf has a robot with its id, topic or relay path", robot.id());
                continue;
            }
            if (!settings.relays().containsKey(robot.relay())) {
                LOG.warn("Registry robot {} names the relay '{}', which bridge.conf does not configure; "
                        + "it gets the default viewer URLs", robot.id(), robot.relay());
            }
            all.put(robot.id(), robot);
        }
        final Map<String, AuthSettings.Credential> users = new LinkedHashMap<>(accounts.all(AccountStore.Kind.USER));
        users.putAll(settings.auth().users());
        final Map<String, AuthSettings.Credential> tokens = new LinkedHashMap<>(accounts.all(AccountStore.Kind.TOKEN));
        tokens.putAll(settings.auth().tokens());
        return new FleetSnapshot(version, all, users, tokens);
    }

    private void install(final FleetSnapshot next) {
        final FleetSnapshot previous = snapshot;
        final Map<String, RobotSettings> paths = new HashMap<>();
        next.robots().values().forEach(r -> paths.put(r.relayPath(), r));
        byPath = Map.copyOf(paths);
        snapshot = next;
        if (previous != null) {
            final int before = previous.robots().size();
            LOG.info("Registry changed: {} robot(s) (was {}), {} user(s), {} token(s)", next.robots().size(), before,
                    next.users().size(), next.tokens().size());
        }
        for (final Consumer<FleetSnapshot> listener : listeners) {
            try {
                listener.accept(next);
            } catch (final RuntimeException e) {
                LOG.warn("A fleet listener failed: {}", e.toString());
            }
        }
    }

    /** The current snapshot. */
    public FleetSnapshot snapshot() {
        return snapshot;
    }

    /** The robot {@code id}. */
    public Optional<RobotSettings> robot(final String id) {
        return snapshot.robot(id);
    }

    /** The robot that publishes to {@code relayPath}. */
    public Optional<RobotSettings> robotByPath(final String relayPath) {
        return Optional.ofNullable(byPath.get(relayPath));
    }

    /** Every robot, configured ones first. */
    public Collection<RobotSettings> robots() {
        return snapshot.robots().values();
    }

    /** The relay of {@code robot}, when it is configured. */
    public Optional<RelaySettings> relay(final RobotSettings robot) {
        return Optional.ofNullable(settings.relays().get(robot.relay()));
    }

    /** Calls {@code listener} with every new snapshot (on the refresh thread, or the caller of {@link #refresh()}). */
    public void addListener(final Consumer<FleetSnapshot> listener) {
        listeners.add(listener);
    }

    /**
     * Why {@code robot} cannot join the registry beside {@code bridge.conf}'s robots, or {@code null}
     * when it can (the registry itself refuses its own clashes).
     */
    public String problemWithNew(final RobotSettings robot) {
        return problemWithNew(settings, robot);
    }

    /** As {@link #problemWithNew(RobotSettings)}, for a caller without a running fleet (the CLI). */
    public static String problemWithNew(final BridgeSettings settings, final RobotSettings robot) {
        if (!settings.relays().containsKey(robot.relay())) {
            return "relay '" + robot.relay() + "' is not one of the configured relays " + settings.relays().keySet();
        }
        for (final RobotSettings configured : settings.robots().values()) {
            if (configured.id().equals(robot.id())) {
                return "robot '" + robot.id() + "' is configured in bridge.conf";
            }
            if (configured.baseTopic().equals(robot.baseTopic())) {
                return "robot '" + configured.id() + "' of bridge.conf already uses the topic '" + robot.baseTopic() + "'";
            }
            if (configured.relayPath().equals(robot.relayPath())) {
                return "robot '" + configured.id() + "' of bridge.conf already publishes to '" + robot.relayPath() + "'";
            }
        }
        return null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
