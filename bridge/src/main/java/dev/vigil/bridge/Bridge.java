package dev.vigil.bridge;

import dev.vigil.bridge.auth.Authenticator;
import dev.vigil.bridge.auth.Credentials;
import dev.vigil.bridge.auth.LoginThrottle;
import dev.vigil.bridge.auth.Pause;
import dev.vigil.bridge.auth.Sessions;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.control.RobotControl;
import dev.vigil.bridge.http.AccessGuard;
import dev.vigil.bridge.http.ClientAddress;
import dev.vigil.bridge.http.CommandReplies;
import dev.vigil.bridge.http.JsonReplies;
import dev.vigil.bridge.http.RobotJson;
import dev.vigil.bridge.http.ViewerUrls;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.bridge.mqtt.MqttLink;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.mqtt.TrackedCommands;
import dev.vigil.bridge.observe.BridgeMetrics;
import dev.vigil.bridge.record.Recordings;
import dev.vigil.bridge.record.RelayRecorder;
import dev.vigil.bridge.relay.MediaMtxKicker;
import dev.vigil.bridge.relay.RelayAuthorizer;
import dev.vigil.bridge.store.AccountStore;
import dev.vigil.bridge.store.Database;
import dev.vigil.bridge.store.JdbcFailureStore;
import dev.vigil.bridge.store.JdbcLeaseStore;
import dev.vigil.bridge.store.JdbcRecordingStore;
import dev.vigil.bridge.store.JdbcSessionStore;
import dev.vigil.bridge.store.RobotStore;
import dev.vigil.bridge.relay.RelayKicker;
import dev.vigil.bridge.view.ViewLeases;
import java.time.Clock;
import java.util.function.BiFunction;

/**
 * The bridge's parts, built once from the settings and shared by the routes. What a second bridge
 * has to share (the registry, view leases, sessions, failure counters) lives in the database, so
 * that any number of bridges serve behind a load balancer and a restarted one forgets nothing.
 */
final class Bridge implements AutoCloseable {

    private final BridgeSettings settings;
    private final Clock clock;
    private final Database database;
    private final RobotStore robotStore;
    private final AccountStore accountStore;
    private final Fleet fleet;
    private final RobotRegistry registry;
    private final BridgeMetrics metrics;
    private final CommandSink commands;
    private final ViewLeases leases;
    private final Sessions sessions;
    private final Authenticator authenticator;
    private final ClientAddress addresses;
    private final AccessGuard guard;
    private final Pause pause;
    private final ViewerUrls urls;
    private final RobotControl control;
    private final RelayAuthorizer relayAuthorizer;
    private final Recordings recordings;
    private final Runnable starter;
    private final Runnable stopper;

    private Bridge(final BridgeSettings settings, final Clock clock, final Pause pause, final RelayKicker kicker,
                   final BiFunction<RobotRegistry, BridgeMetrics, CommandSink> sinks) {
        this.settings = settings;
        this.clock = clock;
        this.pause = pause;
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
        final CommandSink sink = sinks.apply(registry, metrics);
        this.commands = new TrackedCommands(sink, registry);
        // Robots that join or leave the registry at run time: follow their retained state.
        fleet.addListener(snapshot -> {
            final RobotRegistry.TopicChange change = registry.track(snapshot.robots().values());
            if (sink instanceof MqttLink link) {
                link.follow(change);
            }
        });
        this.leases = new ViewLeases(settings.views(), commands, clock, new JdbcLeaseStore(database),
                id -> registry.status(id).hold(), fleet::robot);
        leases.addListener(registry::touch);
        // Shared through the database: any bridge behind a load balancer knows every session and failure.
        this.sessions = new Sessions(new JdbcSessionStore(database), settings.auth().session(), clock);
        this.authenticator = new Authenticator(new Credentials(() -> fleet.snapshot().users(), () -> fleet.snapshot().tokens()),
                new LoginThrottle(new JdbcFailureStore(database), settings.auth().throttle(), clock), sessions);
        this.addresses = ClientAddress.trusting(settings.server().trustedProxies());
        this.guard = new AccessGuard(authenticator, metrics, pause, addresses);
        this.urls = new ViewerUrls(settings.relays(), settings.viewerUrls());
        this.control = new RobotControl(registry, commands, leases, kicker, clock);
        this.relayAuthorizer = new RelayAuthorizer(settings, fleet, authenticator, leases, registry, clock);
        this.recordings = new Recordings(settings.recording(), new RelayRecorder(settings.relayApi(), settings.recording()),
                leases, registry, new JdbcRecordingStore(database), fleet::robot, settings.views().renewEvery(), clock,
                Recordings::usableSpace);
        this.starter = sink instanceof MqttLink link ? link::start : () -> { };
        this.stopper = sink instanceof MqttLink link ? link::close : () -> { };
    }

    /** The production bridge: one MQTT link to the configured broker, the relay's API when configured. */
    static Bridge withMqtt(final BridgeSettings settings) {
        return new Bridge(settings, Clock.systemUTC(), Pause.SLEEP, settings.relayApi().enabled()
                ? new MediaMtxKicker(settings.relayApi(), JsonReplies.MAPPER) : RelayKicker.NONE,
                (registry, metrics) -> new MqttLink(settings.mqtt(), registry, metrics));
    }

    /** A bridge whose commands go to {@code sink} (unit tests); refusals are held back through {@code pause}. */
    static Bridge withSink(final BridgeSettings settings, final Clock clock, final CommandSink sink, final Pause pause,
                           final RelayKicker kicker) {
        return new Bridge(settings, clock, pause, kicker, (registry, metrics) -> sink);
    }

    /** A bridge whose commands go to {@code sink} (unit tests), with no throttle delays and no relay API. */
    static Bridge withSink(final BridgeSettings settings, final Clock clock, final CommandSink sink) {
        return withSink(settings, clock, sink, duration -> { }, RelayKicker.NONE);
    }

    /** Starts connecting to the broker and following the registry (returns at once). */
    synchronized void start() {
        fleet.start();
        starter.run();
        recordings.resetInBackground(fleet.robots());
    }

    @Override
    public synchronized void close() {
        recordings.close();
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

    Clock clock() {
        return clock;
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

    Sessions sessions() {
        return sessions;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    AccessGuard guard() {
        return guard;
    }

    Pause pause() {
        return pause;
    }

    ClientAddress addresses() {
        return addresses;
    }

    ViewerUrls urls() {
        return urls;
    }

    RobotJson robotJson() {
        return new RobotJson(urls, leases, registry.snapshots());
    }

    Recordings recordings() {
        return recordings;
    }

    RobotControl control() {
        return control;
    }

    RelayAuthorizer relayAuthorizer() {
        return relayAuthorizer;
    }
}
