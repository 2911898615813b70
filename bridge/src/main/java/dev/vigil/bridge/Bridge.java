package dev.vigil.bridge;

import dev.vigil.bridge.auth.Credentials;
import dev.vigil.bridge.auth.FailureLimiter;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.http.AccessGuard;
import dev.vigil.bridge.http.CommandReplies;
import dev.vigil.bridge.http.RobotJson;
import dev.vigil.bridge.http.ViewerUrls;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.bridge.mqtt.MqttLink;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.observe.BridgeMetrics;
import dev.vigil.bridge.record.Recordings;
import dev.vigil.bridge.record.RelayRecorder;
import dev.vigil.bridge.relay.RelayAuthorizer;
import dev.vigil.bridge.view.ViewLeases;
import java.time.Clock;
import java.util.function.BiFunction;

/** The bridge's parts, built once from the settings and shared by the routes. */
final class Bridge implements AutoCloseable {

    private final BridgeSettings settings;
    private final RobotRegistry registry;
    private final BridgeMetrics metrics;
    private final CommandSink commands;
    private final ViewLeases leases;
    private final Credentials credentials;
    private final AccessGuard guard;
    private final ViewerUrls urls;
    private final RelayAuthorizer relayAuthorizer;
    private final Recordings recordings;
    private final Clock clock;
    private final Runnable starter;
    private final Runnable stopper;

    private Bridge(final BridgeSettings settings, final Clock clock,
                   final BiFunction<RobotRegistry, BridgeMetrics, CommandSink> sinks) {
        this.settings = settings;
        this.clock = clock;
        this.registry = new RobotRegistry(settings.robots().values(), clock);
        this.metrics = new BridgeMetrics(registry);
        this.commands = sinks.apply(registry, metrics);
        this.leases = new ViewLeases(settings.views(), commands, clock);
        this.credentials = new Credentials(settings.auth());
        this.guard = new AccessGuard(credentials,
                new FailureLimiter(settings.auth().maxFailures(), settings.auth().failureWindow(), clock), metrics);
        this.urls = new ViewerUrls(settings.viewerUrls());
        this.relayAuthorizer = new RelayAuthorizer(settings, credentials, leases, clock);
        this.recordings = new Recordings(settings.recording(), new RelayRecorder(settings.recording()), leases, registry,
                clock, Recordings::usableSpace);
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

    /** Starts connecting to the broker (returns at once). */
    synchronized void start() {
        starter.run();
        recordings.resetInBackground(settings.robots().values());
    }

    @Override
    public synchronized void close() {
        recordings.close();
        leases.close();
        stopper.run();
    }

    BridgeSettings settings() {
        return settings;
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

    Clock clock() {
        return clock;
    }

    Recordings recordings() {
        return recordings;
    }

    RelayAuthorizer relayAuthorizer() {
        return relayAuthorizer;
    }
}
