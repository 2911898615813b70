package dev.vigil.bridge.config;

import dev.vigil.bridge.http.ClientAddress;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;
import dev.vigil.bridge.auth.SecretHash;
import dev.vigil.bridge.http.ClientAddress;
import dev.vigil.common.config.ConfigProblemsException;
import dev.vigil.common.config.ConfigReader;
import dev.vigil.common.config.EnvironmentLayer;
import dev.vigil.common.config.LayeredConfig;
import dev.vigil.common.mqtt.BrokerSettings;
import dev.vigil.common.mqtt.BrokerSettingsReader;
import dev.vigil.protocol.PublishKeys;
import dev.vigil.protocol.RobotIds;
import dev.vigil.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Reads {@code vigil.bridge} into {@link BridgeSettings} through the shared config layer: checked
 * against reference.conf first, then here for what Typesafe cannot check, collecting every problem
 * before it fails. Problems name the key, never the value, so no secret reaches a log.
 */
public final class SettingsLoader {

    private static final String ROOT = "vigil.bridge";
    private static final Set<String> ROLES = Set.of("viewer", "operator");
    private static final Set<String> URL_KINDS = Set.of("rtsp", "hls", "webrtc", "rtmp");
    /** The original scripts' variables (and the bridge's), and the keys they set. */
    private static final EnvironmentLayer ENVIRONMENT = EnvironmentLayer.of(ROOT, Map.of(
            "MQTT_BROKER", "mqtt.broker", "MQTT_PORT", "mqtt.port", "MQTT_USER", "mqtt.user", "MQTT_PASS", "mqtt.password",
            "MQTT_TLS", "mqtt.tls.enabled", "MQTT_CA_FILE", "mqtt.tls.ca-file",
            "BRIDGE_HOST", "server.host", "BRIDGE_PORT", "server.port"));

    /** Objects of the operator's own entries: reference.conf's examples in them are not required. */
    private static final String[] FREE_FORM = {"robots", "relays", "viewer-urls", "auth.users", "auth.tokens"};

    private final ConfigReader reader;

    private SettingsLoader(final Config config) {
        this.reader = new ConfigReader(config, ENVIRONMENT);
    }

    /** Loads the standard way: reference.conf, the operator's file, the environment, -D system properties. */
    public static BridgeSettings load() throws ConfigProblemsException {
        return from(LayeredConfig.load(files -> ConfigFactory.parseMap(environment(System.getenv(), files), "environment variables"),
                UnaryOperator.identity(), ENVIRONMENT, FREE_FORM));
    }

    /** The original scripts' variables as config paths; they win over every file. */
    static Map<String, Object> environment(final Map<String, String> env, final Config files) {
        final Map<String, Object> out = new LinkedHashMap<>(ENVIRONMENT.values(env));
        if (env.get("MQTT_TOPIC") != null && files.hasPath(ROOT + ".default-robot")) {
            out.put(ROOT + ".robots.\"" + files.getString(ROOT + ".default-robot") + "\".base-topic", env.get("MQTT_TOPIC"));
        }
        return out;
    }

    /** Builds the settings from a config that holds {@code vigil.bridge} (reference.conf fills in the rest). */
    public static BridgeSettings from(final Config config) throws ConfigProblemsException {
        final Config resolved;
        try {
            resolved = config.withFallback(ConfigFactory.defaultReference()).resolve();
        } catch (final ConfigException e) {
            throw new ConfigProblemsException(List.of(LayeredConfig.oneLine(e)));
        }
        LayeredConfig.checkValid(resolved, ENVIRONMENT, FREE_FORM);
        final SettingsLoader loader = new SettingsLoader(resolved);
        final BridgeSettings settings = loader.read(resolved.getConfig(ROOT));
        loader.reader.throwIfAny();
        return settings;
    }

    private BridgeSettings read(final Config c) {
        final ServerSettings server = new ServerSettings(
                reader.string("server.host"),
                orZero(reader.port("server.port", true)),
                orZero(reader.bytes("server.max-payload-size")),
                Boolean.TRUE.equals(reader.bool("server.access-log")),
                tls(), trustedProxies());
        final String clientId = reader.string("mqtt.client-id");
        final BrokerSettings connection = BrokerSettingsReader.read(reader, "broker",
                clientId == null || clientId.isBlank() ? "vigil-bridge-" + UUID.randomUUID().toString().substring(0, 8) : clientId);
        final Duration commandExpiry = reader.positive("mqtt.command-expiry");
        final Duration publishTimeout = reader.positive("mqtt.publish-timeout");
        final MqttSettings mqtt = connection == null ? null : MqttSettings.of(connection, commandExpiry, publishTimeout);
        final Map<String, String> urls = viewerUrls("viewer-urls");
        final Map<String, RelaySettings> relays = relays(c, urls);
        final String defaultRelay = orEmpty(reader.string("default-relay"));
        if (!relays.containsKey(defaultRelay)) {
            reader.problem("default-relay", "'" + defaultRelay + "' is not one of the relays " + relays.keySet());
        }
        final Map<String, RobotSettings> robots = robots(c, relays.keySet(), defaultRelay);
        // The default robot may also be one of the registry's (vigil-bridge robot add), so only its form is checked here.
        final String defaultRobot = orEmpty(reader.string("default-robot"));
        if (!RobotIds.isValid(defaultRobot)) {
            reader.problem("default-robot", "must be a robot id: 1-64 letters, digits, '_' or '-'");
        }
        final AuthSettings auth = new AuthSettings(
                !Boolean.FALSE.equals(reader.bool("auth.original-api")),
                orZero(reader.atLeast("auth.pbkdf2-iterations", 1000)),
                credentials(c, "auth.users", "password-hash"),
                credentials(c, "auth.tokens", "hash"),
                throttle(), session());
        final ViewSettings views = new ViewSettings(
                reader.positive("views.ttl"), reader.positive("views.agent-lease-margin"), reader.positive("views.renew-every"),
                reader.duration("views.linger"), reader.positive("views.sweep-every"),
                orZero(reader.atLeast("views.max-per-robot", 1)), orZero(reader.atLeast("views.max-per-user", 1)),
                reader.positive("views.max-wait"));
        if (views.renewEvery() != null && views.ttl() != null && views.agentLeaseMargin() != null
                && views.renewEvery().compareTo(views.ttl().plus(views.agentLeaseMargin())) >= 0) {
            reader.problem("views.renew-every", "must be shorter than views.ttl + views.agent-lease-margin");
        }
        final List<String> callers = reader.stringList("relay.allowed-callers");
        final boolean reportsAvailability = Boolean.TRUE.equals(reader.bool("relay.reports-availability"));
        final RelayApiSettings relayApi = relayApi();
        return new BridgeSettings(server, mqtt, defaultRobot, robots, urls, auth, views, callers == null ? List.of() : callers,
                reportsAvailability, reader.positive("events.heartbeat"), relayApi, database(), relays, defaultRelay,
                recording(relayApi));
    }

    private ThrottleSettings throttle() {
        return new ThrottleSettings(orZero(reader.atLeast("auth.throttle.account-free-failures", 1)),
                reader.positive("auth.throttle.account-initial-delay"), reader.positive("auth.throttle.account-max-delay"),
                orZero(reader.atLeast("auth.throttle.address-free-failures", 1)),
                reader.positive("auth.throttle.address-initial-delay"), reader.positive("auth.throttle.address-max-delay"),
                reader.positive("auth.throttle.window"));
    }

    private SessionSettings session() {
        return new SessionSettings(reader.positive("auth.session.idle-timeout"), reader.positive("auth.session.max-age"),
                !Boolean.FALSE.equals(reader.bool("auth.session.secure-cookie")));
    }

    private RelayApiSettings relayApi() {
        final RelayApiSettings api = new RelayApiSettings(orEmpty(reader.string("relay.api.url")),
                orEmpty(reader.string("relay.api.user")), orEmpty(reader.string("relay.api.password")));
        if (api.enabled() && !api.url().matches("https?://[^/\\s]+/?")) {
            reader.problem("relay.api.url", "must be http(s)://host:port of the relay's control API");
        }
        if (api.enabled() && (api.user().isBlank() || api.password().isBlank())) {
            reader.problem("relay.api.url", "needs relay.api.user and relay.api.password");
        }
        return api;
    }

    private RecordingSettings recording(final RelayApiSettings relayApi) {
        final boolean enabled = Boolean.TRUE.equals(reader.bool("recording.enabled"));
        final String playback = orEmpty(reader.string("recording.relay-playback"));
        if (enabled && !relayApi.enabled()) {
            reader.problem("recording.enabled", "needs relay.api.url (the bridge switches the relay's recording through its API)");
        }
        if (enabled && !playback.matches("https?://[^/\\s]+/?")) {
            reader.problem("recording.relay-playback", "must be http(s)://host:port of the relay's playback server");
        }
        final Long minFree = reader.bytes("recording.min-free-space");
        if (minFree != null && minFree < 0) {
            reader.problem("recording.min-free-space", "must not be negative");
        }
        return new RecordingSettings(enabled, playback.replaceAll("/+$", ""), reader.positive("recording.max-duration"),
                orEmpty(reader.string("recording.disk-path")), minFree == null || minFree < 0 ? 0L : minFree,
                reader.positive("recording.disk-check-every"));
    }

    /** {@code server.trusted-proxies}, each entry checked; empty when it has a problem. */
    private List<String> trustedProxies() {
        final List<String> proxies = reader.stringList("server.trusted-proxies");
        if (proxies == null) {
            return List.of();
        }
        try {
            ClientAddress.trusting(proxies);
            return proxies;
        } catch (final IllegalArgumentException e) {
            reader.problem("server.trusted-proxies", e.getMessage());
            return List.of();
        }
    }

    /** HTTPS's key and chain when {@code server.tls.enabled}; null for plain HTTP or when a file is wrong (a problem). */
    private ServerTls tls() {
        if (!Boolean.TRUE.equals(reader.bool("server.tls.enabled"))) {
            return null;
        }
        final String cert = reader.nonBlank("server.tls.cert-file");
        final String key = reader.nonBlank("server.tls.key-file");
        return cert == null || key == null ? null : ServerTls.load(Path.of(cert), Path.of(key), reader);
    }

    private DatabaseSettings database() {
        final String url = orEmpty(reader.string("database.url"));
        final String file = orEmpty(reader.string("database.sqlite-file"));
        if (url.isBlank() && file.isBlank()) {
            reader.problem("database", "set database.url (PostgreSQL) or database.sqlite-file (embedded SQLite)");
        }
        if (!url.isBlank() && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:sqlite:")) {
            reader.problem("database.url", "must be a jdbc:postgresql: or jdbc:sqlite: URL");
        }
        return new DatabaseSettings(url.isBlank() ? "jdbc:sqlite:" + file : url,
                orEmpty(reader.string("database.user")), orEmpty(reader.string("database.password")),
                orZero(reader.atLeast("database.pool-size", 1)), reader.positive("database.connect-timeout"),
                reader.positive("database.refresh-every"));
    }

    private Map<String, String> viewerUrls(final String path) {
        final Map<String, String> urls = new LinkedHashMap<>();
        final ConfigObject object = reader.object(path);
        if (object != null) {
            for (final String kind : object.keySet()) {
                if (!URL_KINDS.contains(kind)) {
                    reader.problem(path + "." + kind, "is not one of " + URL_KINDS);
                }
                urls.put(kind, orEmpty(reader.string(path + "." + kind)));
            }
        }
        return urls;
    }

    private Map<String, RelaySettings> relays(final Config c, final Map<String, String> fallbackUrls) {
        final Map<String, RelaySettings> relays = new LinkedHashMap<>();
        for (final Map.Entry<String, String> entry : namedObjects("relays", "a relay name",
                " with publish-url and viewer-urls").entrySet()) {
            final String name = entry.getKey();
            final String key = entry.getValue();
            final Config r = c.getConfig(key);
            final String publishUrl = optional(r, "publish-url", key);
            if (publishUrl == null || !publishUrl.contains("{path}") || !publishUrl.contains("://")) {
                reader.problem(key + ".publish-url", "must be a URL template with {path} (and {user}, {pass})");
            }
            final Map<String, String> urls = r.hasPath("viewer-urls") ? viewerUrls(key + ".viewer-urls") : fallbackUrls;
            relays.put(name, new RelaySettings(name, publishUrl, Map.copyOf(urls)));
        }
        return relays;
    }

    private Map<String, RobotSettings> robots(final Config c, final Set<String> relays, final String defaultRelay) {
        final Map<String, RobotSettings> robots = new LinkedHashMap<>();
        for (final Map.Entry<String, String> entry : namedObjects("robots", "robot id", "").entrySet()) {
            final String id = entry.getKey();
            final String key = entry.getValue();
            final Config r = c.getConfig(key);
            final String base = r.hasPath("base-topic") ? orEmpty(reader.string(key + ".base-topic")) : Topics.fleetBase(id);
            final String baseProblem = Topics.problemWithBase(base);
            if (baseProblem != null) {
                reader.problem(key + ".base-topic", baseProblem);
            }
            final String path = r.hasPath("relay-path") ? orEmpty(reader.string(key + ".relay-path")) : "live/" + id;
            if (!RelayPaths.isValid(path)) {
                reader.problem(key + ".relay-path", "must be levels of letters, digits, '_' or '-' separated by '/'");
            }
            final String user = optional(r, "publish-user", key);
            final String hash = optional(r, "publish-password-hash", key);
            if (hash != null && !SecretHash.isValid(hash)) {
                reader.problem(key + ".publish-password-hash", "is not a valid hash (use `vigil-bridge hash-password`)");
            }
            if ((user == null) != (hash == null)) {
                reader.problem(key, "publish-user and publish-password-hash go together");
            }
            final String secret = optional(r, "publish-secret", key);
            final String publishKey = optional(r, "publish-key", key);
            if (publishKey != null && !PublishKeys.isPublicKey(publishKey)) {
                reader.problem(key + ".publish-key", "is not an Ed25519 public key (ed25519-pub:..., from `vigil-bridge robot add`)");
            }
            final String relay = r.hasPath("relay") ? optional(r, "relay", key) : defaultRelay;
            if (!relays.contains(relay)) {
                reader.problem(key + ".relay", "is not one of the relays " + relays);
            }
            robots.put(id, new RobotSettings(id, base, path, user, hash, secret, publishKey, relay));
        }
        final Set<String> paths = new java.util.HashSet<>();
        robots.values().forEach(r -> {
            if (!paths.add(r.relayPath())) {
                reader.problem("robots", "relay-path '" + r.relayPath() + "' is used by more than one robot");
            }
        });
        return robots;
    }

    /**
     * The entries of the operator's object at {@code path} (robots or relays by name), sorted by name,
     * each with its config key; an entry whose name is not an id or that is not an object is a problem.
     *
     * @param nameIs what the name is, for the problem line ("robot id")
     * @param shape  what the object holds, for the problem line (" with publish-url")
     */
    private Map<String, String> namedObjects(final String path, final String nameIs, final String shape) {
        final Map<String, String> keys = new java.util.TreeMap<>();
        final ConfigObject object = reader.object(path);
        if (object == null) {
            return keys;
        }
        for (final String name : object.keySet()) {
            final String key = path + ".\"" + name + "\"";
            if (!RobotIds.isValid(name)) {
                reader.problem(key, nameIs + " must be 1-64 letters, digits, '_' or '-'");
            } else if (object.get(name).valueType() != ConfigValueType.OBJECT) {
                reader.problem(key, "must be an object" + shape);
            } else {
                keys.put(name, key);
            }
        }
        return keys;
    }

    private Map<String, AuthSettings.Credential> credentials(final Config c, final String path, final String hashKey) {
        final Map<String, AuthSettings.Credential> out = new LinkedHashMap<>();
        final ConfigObject object = reader.object(path);
        if (object == null) {
            return out;
        }
        for (final String name : object.keySet()) {
            final String key = path + ".\"" + name + "\"";
            if (object.get(name).valueType() != ConfigValueType.OBJECT) {
                reader.problem(key, "must be an object with " + hashKey + " and role");
                continue;
            }
            final Config entry = c.getConfig(key);
            final String hash = optional(entry, hashKey, key);
            final String role = optional(entry, "role", key);
            if (hash == null || !SecretHash.isValid(hash)) {
                reader.problem(key + "." + hashKey, "is missing or not a valid hash (use `vigil-bridge hash-password`)");
            }
            if (role == null || !ROLES.contains(role)) {
                reader.problem(key + ".role", "role must be viewer or operator");
            }
            if (name.contains(":")) {
                reader.problem(key, "a user name must not contain ':'");
            }
            final int maxViews = orZero(entry.hasPath("max-views") ? reader.atLeast(key + ".max-views", 1)
                    : reader.atLeast("views.max-per-user", 1));
            out.put(name, new AuthSettings.Credential(hash, role, maxViews));
        }
        return out;
    }

    private String optional(final Config c, final String path, final String parent) {
        if (!c.hasPath(path)) {
            return null;
        }
        final String value = reader.string(parent + "." + path);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String orEmpty(final String value) {
        return value == null ? "" : value;
    }

    private static int orZero(final Integer value) {
        return value == null ? 0 : value;
    }

    private static long orZero(final Long value) {
        return value == null ? 0 : value;
    }
}
