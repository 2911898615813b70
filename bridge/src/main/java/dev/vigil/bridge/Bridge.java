package dev.vigil.bridge;

import dev.vigil.bridge.auth.Credentials;
import dev.vigil.bridge.auth.FailureLimiter;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.http.AccessGuard;
import dev.vigil.bridge.http.CommandReplies;
import dev.vigil.bridge.http.RobotJson;
import dev.vigil.bridge.http.ViewerUrls;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.bridge.mqtt.MqttLink;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.observe.BridgeMetrics;
import dev.vigil.bridge.relay.RelayAuthorizer;
import dev.vigil.bridge.store.AccountStore;
import dev.vigil.bridge.store.Database;
import dev.vigil.bridge.store.RobotStore;
import dev.vigil.bridge.view.ViewLeases;
import java.time.Clock;
import java.util.function.BiFunction;

/** The bridge's parts, built once from the settings and shared by the routes. */
final class Bridge implements AutoCloseable {

    private final BridgeSettings settings;
    private final Database database;
    private final RobotStore robotStore;
    private final AccountStore accountStore;
    private final Fleet fleet;
    private final RobotRegistry registry;
    private final BridgeMetrics metrics;
    private final CommandSink commands;
    private final ViewLeases leases;
    private final Credentials credentials;
    private final AccessGuard guard;
    private final ViewerUrls urls;
    private final RelayAuthorizer relayAuthorizer;
    private final Runnable starter;
    private final Runnable stopper;

    private Bridge(final BridgeSettings settings, final Clock clock,
                   final BiFunction<RobotRegistry, BridgeMetrics, CommandSink> sinks) {
        this.settings = settings;
        this.database = Database.open(settings.database());
        try {
            this.robotStore = new RobotStore(database, clock);
            this.accountStore = new AccountStore(database, clock);
            this.fleet = new Fleet(settings, robotStore, accountStore);
        } catch (final RuntimeException e) {
            database.close();
            throw e;
        }
        this.registry = new RobotRegistry(fleet.robots(), clock);
        this.metrics = new BridgeMetrics(registry);
        this.commands = sinks.apply(registry, metrics);
        // Robots that join or leave the registry at run time: follow their retained state.
        fleet.addListener(snapshot -> {
            final RobotRegistry.TopicChange change = registry.track(snapshot.robots().values());
            if (commands instanceof MqttLink link) {
                link.follow(change);
            }
        });
        this.leases = new ViewLeases(settings.views(), commands, clock);
        this.credentials = new Credentials(() -> fleet.snapshot().users(), () -> fleet.snapshot().tokens());
        this.guard = new AccessGuard(credentials,
                new FailureLimiter(settings.auth().maxFailures(), settings.auth().failureWindow(), clock), metrics);
        this.urls = new ViewerUrls(settings.relays(), settings.viewerUrls());
        this.relayAuthorizer = new RelayAuthorizer(fleet, credentials, leases, clock);
        this.starter = commands instanceof MqttLink link ? link::start : () -> { };
        this.stopper = commands instanceof MqttLink link ? link::close : () -> { };
    }

    /** The production bridge: one MQTT link to the configured broker. */
    static Bridge withMqtt(final BridgeSettings settings) {
        return new Bridge(settings, Clock.systemUTC(), (registry, metrics) -> new MqttLink(settings.mqtt(), registry, metrics));
    }

    /** A bridge whose commands go to {@code sink} (unit tests). */
    static Bridge withSink(final BridgeSettings settings, final Clock clock, final CommandSink sink) {
        return new Bridge(settings, clock, (registry, metrics) -> sink);
    }

    /** Starts connecting to the broker and following the registry (returns at once). */
    synchronized void start() {
        fleet.start();
        starter.run();
    }

    @Override
    public synchronized void close() {
        leases.close();
        fleet.close();
        stopper.run();
        database.close();
    }

    BridgeSettings settings() {
        return settings;
    }

    Fleet fleet() {
        return fleet;
    }

    RobotStore robotStore() {
        return robotStore;
    }

    AccountStore accountStore() {
        return accountStore;
    }

    RobotRegistry registry() {
        return registry;
    }

    BridgeMetrics metrics() {
        return metrics;
    }

    CommandSink commands() {
        return commands;
    }

    CommandReplies commandReplies() {
        return new CommandReplies(commands);
    }

    ViewLeases leases() {
        return leases;
    }

    AccessGuard guard() {
        return guard;
    }

    ViewerUrls urls() {
        return urls;
    }

    RobotJson robotJson() {
        return new RobotJson(urls, leases);
    }

    RelayAuthorizer relayAuthorizer() {
        return relayAuthorizer;
    }
}
