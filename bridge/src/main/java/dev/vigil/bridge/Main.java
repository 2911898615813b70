package dev.vigil.bridge;

import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.ServerTls;
import dev.vigil.bridge.config.SettingsLoader;
import dev.vigil.bridge.fleet.LegacyConfig;
import dev.vigil.bridge.http.ErrorReplies;
import dev.vigil.common.config.ConfigProblemsException;
import dev.vigil.bridge.http.EventsApi;
import dev.vigil.bridge.http.MetricsApi;
import dev.vigil.bridge.http.MotionApi;
import dev.vigil.bridge.http.OriginalApi;
import dev.vigil.bridge.http.RecordingApi;
import dev.vigil.bridge.http.SnapshotApi;
import dev.vigil.bridge.http.RelayApi;
import dev.vigil.bridge.http.RobotApi;
import dev.vigil.bridge.http.RegistryApi;
import dev.vigil.bridge.http.SecurityHeaders;
import dev.vigil.bridge.http.SessionApi;
import dev.vigil.bridge.http.ViewApi;
import dev.vigil.bridge.store.StoreException;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.accesslog.AccessLogFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Starts the Vigil bridge: logging, config, the parts, the HTTP server. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /** Entry point; see {@code --help}. */
    public static void main(final String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        final int cli = Cli.run(args);
        if (cli != Cli.SERVE) {
            if (cli != 0) {
                System.exit(cli);
            }
            return;
        }
        final BridgeSettings settings;
        try {
            settings = SettingsLoader.load();
        } catch (final ConfigProblemsException e) {
            LOG.error("The configuration has {} problem(s); fix them and start again:", e.problems().size());
            e.problems().forEach(problem -> LOG.error("  - {}", problem));
            System.exit(2);
            return;
        }
        final Bridge bridge;
        try {
            bridge = Bridge.withMqtt(settings);
        } catch (final StoreException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        LegacyConfig.suggestRegistry(settings);
        final WebServer server = WebServer.builder()
                .update(builder -> server(builder, bridge))
                .build()
                .start();
        LOG.info("Vigil bridge {} listening on {}://{}:{} ({} robot(s), default '{}'; registry {})", Cli.version(),
                settings.server().tls() == null ? "http" : "https", settings.server().host(), server.port(),
                bridge.fleet().robots().size(), settings.defaultRobotId(), settings.database().describe());
    }

    /** The listener, features and routing of {@code bridge}. */
    static void server(final WebServerConfig.BuilderBase<?, ?> builder, final Bridge bridge) {
        final BridgeSettings settings = bridge.settings();
        builder.host(settings.server().host())
                .port(settings.server().port())
                .maxPayloadSize(settings.server().maxPayloadSize())
                .shutdownHook(true)
                .addFeature(ObserveFeature.just(HealthObserver.builder()
                        .details(true)
                        .useSystemServices(false)
                        .addCheck(() -> HealthCheckResponse.builder()
                                .status(bridge.commands().connected())
                                .detail("mqtt", bridge.commands().connected() ? "connected" : "disconnected")
                                .build(), HealthCheckType.READINESS, "mqtt")
                        .build()))
                .routing(routing -> routing(routing, bridge));
        final ServerTls tls = settings.server().tls();
        if (tls != null) {
            builder.tls(t -> t.privateKey(tls.key()).privateKeyCertChain(tls.chain()));
        }
        if (settings.server().accessLog()) {
            builder.addFeature(AccessLogFeature.create());
        }
    }

    /** Every route of the bridge; the tests reuse it. */
    static void routing(final HttpRouting.Builder routing, final Bridge bridge) {
        final BridgeSettings settings = bridge.settings();
        ErrorReplies.register(routing);
        routing.addFilter((chain, req, res) -> {
            bridge.metrics().request();
            chain.proceed();
        });
        routing.addFilter(new SecurityHeaders(bridge.urls()));
        routing.register(new Lifecycle(bridge))
                .register(new OriginalApi(bridge.fleet(), settings.defaultRobotId(), bridge.commandReplies(), bridge.control(),
                        bridge.guard(), settings.auth().originalApi()))
                .register(new SessionApi(bridge.authenticator(), bridge.sessions(), settings.auth().session(),
                        bridge.metrics(), bridge.pause(), bridge.addresses()))
                .register(new EventsApi(settings, bridge.fleet(), bridge.registry(), bridge.guard(), bridge.robotJson(),
                        bridge.authenticator()::sessionLive))
                .register(new ViewApi(bridge.fleet(), bridge.leases(), bridge.commands(), bridge.guard(), bridge.urls(),
                        bridge.clock()))
                .register(new RobotApi(settings, bridge.fleet(), bridge.registry(), bridge.commandReplies(), bridge.control(),
                        bridge.guard(), bridge.robotJson()))
                .register(new RegistryApi(bridge.fleet(), bridge.robotStore(), bridge.accountStore(), bridge.guard(),
                        settings))
                .register(new RelayApi(settings, bridge.relayAuthorizer(), bridge.registry(), bridge.pause()))
                .register(new RecordingApi(bridge.fleet(), bridge.recordings(), bridge.guard()))
                .register(new MotionApi(bridge.fleet(), bridge.commandReplies(), bridge.guard()))
                .register(new SnapshotApi(bridge.fleet(), settings.views().maxWait(), bridge.registry().snapshots(), bridge.commandReplies(), bridge.guard(),
                        bridge.clock()))
                .register(new MetricsApi(bridge.metrics(), bridge.guard(), bridge.commands()))
                .get("/app", (req, res) -> res.status(Status.MOVED_PERMANENTLY_301)
                        .header(HeaderNames.LOCATION, "/app/").send())
                .register("/app", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                        .location("vigil-app").welcome("index.html").build()));
    }

    /** Connects MQTT before the server starts and disconnects after it stops. */
    private static final class Lifecycle implements HttpService {
        private final Bridge bridge;

        private Lifecycle(final Bridge bridge) {
            this.bridge = bridge;
        }

        @Override
        public void routing(final HttpRules rules) {
            // no routes: this service only hooks the server's lifecycle
        }

        @Override
        public void beforeStart() {
            bridge.start();
        }

        @Override
        public void afterStop() {
            bridge.close();
        }
    }
}
