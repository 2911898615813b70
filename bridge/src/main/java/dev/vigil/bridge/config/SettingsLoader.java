package dev.vigil.bridge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;
import dev.vigil.bridge.auth.SecretHash;
import dev.vigil.protocol.PublishKeys;
import dev.vigil.protocol.RobotIds;
import dev.vigil.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Reads {@code vigil.bridge} into {@link BridgeSettings}, collecting every problem before it
 * fails. Problems name the key, never the value, so no secret reaches a log.
 */
public final class SettingsLoader {

    private static final String ROOT = "vigil.bridge";
    private static final Set<String> ROLES = Set.of("viewer", "operator");
    private static final Set<String> URL_KINDS = Set.of("rtsp", "hls", "webrtc", "rtmp");

    private final List<String> problems = new ArrayList<>();

    private SettingsLoader() {
    }

    /** Loads the standard way: reference.conf, then -Dconfig.file and system properties, then the environment. */
    public static BridgeSettings load() throws ConfigProblems {
        final Config config;
        try {
            ConfigFactory.invalidateCaches();
            final Config files = ConfigFactory.load();
            config = ConfigFactory.parseMap(environment(System.getenv(), files), "environment").withFallback(files);
        } catch (final ConfigException e) {
            throw new ConfigProblems(List.of(e.getMessage()));
        }
        return from(config);
    }

    /** The original scripts' variables as config paths; they win over every file. */
    static Map<String, Object> environment(final Map<String, String> env, final Config files) {
        final Map<String, Object> out = new LinkedHashMap<>();
        final Map<String, String> paths = Map.of(
                "MQTT_BROKER", ROOT + ".mqtt.broker", "MQTT_PORT", ROOT + ".mqtt.port",
                "MQTT_USER", ROOT + ".mqtt.user", "MQTT_PASS", ROOT + ".mqtt.password",
                "BRIDGE_HOST", ROOT + ".server.host", "BRIDGE_PORT", ROOT + ".server.port");
        paths.forEach((name, path) -> {
            if (env.get(name) != null) {
                out.put(path, env.get(name));
            }
        });
        if (env.get("MQTT_TOPIC") != null && files.hasPath(ROOT + ".default-robot")) {
            out.put(ROOT + ".robots.\"" + files.getString(ROOT + ".default-robot") + "\".base-topic", env.get("MQTT_TOPIC"));
        }
        return out;
    }

    /** Builds the settings from a resolved config that holds {@code vigil.bridge}. */
    public static BridgeSettings from(final Config config) throws ConfigProblems {
        final SettingsLoader loader = new SettingsLoader();
        final BridgeSettings settings;
        try {
            settings = loader.read(config.withFallback(ConfigFactory.defaultReference()).resolve().getConfig(ROOT));
        } catch (final ConfigException e) {
            throw new ConfigProblems(List.of(e.getMessage()));
        }
        if (!loader.problems.isEmpty()) {
            throw new ConfigProblems(loader.problems);
        }
        return settings;
    }

    private BridgeSettings read(final Config c) {
        final ServerSettings server = new ServerSettings(
                get(() -> c.getString("server.host"), "server.host", ""),
                port(c, "server.port", true),
                get(() -> c.getBytes("server.max-payload-size"), "server.max-payload-size", 0L),
                get(() -> c.getBoolean("server.access-log"), "server.access-log", true));
        final String clientId = get(() -> c.getString("mqtt.client-id"), "mqtt.client-id", "");
        final MqttSettings mqtt = new MqttSettings(
                nonEmpty(c, "mqtt.broker"),
                port(c, "mqtt.port", false),
                get(() -> c.getString("mqtt.user"), "mqtt.user", ""),
                get(() -> c.getString("mqtt.password"), "mqtt.password", ""),
                clientId.isBlank() ? "vigil-bridge-" + UUID.randomUUID().toString().substring(0, 8) : clientId,
                positive(c, "mqtt.command-expiry"),
                positive(c, "mqtt.publish-timeout"),
                positive(c, "mqtt.reconnect-initial-delay"),
                positive(c, "mqtt.reconnect-max-delay"));
        final Map<String, String> urls = viewerUrls(c, "viewer-urls");
        final Map<String, RelaySettings> relays = relays(c, urls);
        final String defaultRelay = get(() -> c.getString("default-relay"), "default-relay", "");
        if (!relays.containsKey(defaultRelay)) {
            problems.add("default-relay '" + defaultRelay + "' is not one of the relays " + relays.keySet());
        }
        final Map<String, RobotSettings> robots = robots(c, relays.keySet(), defaultRelay);
        // The default robot may also be one of the registry's (vigil-bridge robot add), so only its form is checked here.
        final String defaultRobot = get(() -> c.getString("default-robot"), "default-robot", "");
        if (!RobotIds.isValid(defaultRobot)) {
            problems.add("default-robot must be a robot id: 1-64 letters, digits, '_' or '-'");
        }
        final AuthSettings auth = new AuthSettings(
                get(() -> c.getBoolean("auth.original-api"), "auth.original-api", true),
                atLeast(c, "auth.pbkdf2-iterations", 1000),
                credentials(c, "auth.users", "password-hash"),
                credentials(c, "auth.tokens", "hash"),
                throttle(c), session(c));
        final ViewSettings views = new ViewSettings(
                positive(c, "views.ttl"), positive(c, "views.agent-lease-margin"), positive(c, "views.renew-every"),
                nonNegative(c, "views.linger"), positive(c, "views.sweep-every"),
                atLeast(c, "views.max-per-robot", 1), atLeast(c, "views.max-per-user", 1), positive(c, "views.max-wait"));
        if (views.renewEvery() != null && views.ttl() != null && views.agentLeaseMargin() != null
                && views.renewEvery().compareTo(views.ttl().plus(views.agentLeaseMargin())) >= 0) {
            problems.add("views.renew-every must be shorter than views.ttl + views.agent-lease-margin");
        }
        final List<String> callers = get(() -> c.getStringList("relay.allowed-callers"), "relay.allowed-callers", List.of());
        final boolean reportsAvailability = get(() -> c.getBoolean("relay.reports-availability"),
                "relay.reports-availability", false);
        return new BridgeSettings(server, mqtt, defaultRobot, robots, urls, auth, views, callers, reportsAvailability,
                positive(c, "events.heartbeat"), relayApi(c), database(c), relays, defaultRelay);
    }

    private ThrottleSettings throttle(final Config c) {
        return new ThrottleSettings(atLeast(c, "auth.throttle.account-free-failures", 1),
                positive(c, "auth.throttle.account-initial-delay"), positive(c, "auth.throttle.account-max-delay"),
                atLeast(c, "auth.throttle.address-free-failures", 1),
                positive(c, "auth.throttle.address-initial-delay"), positive(c, "auth.throttle.address-max-delay"),
                positive(c, "auth.throttle.window"));
    }

    private SessionSettings session(final Config c) {
        return new SessionSettings(positive(c, "auth.session.idle-timeout"), positive(c, "auth.session.max-age"),
                get(() -> c.getBoolean("auth.session.secure-cookie"), "auth.session.secure-cookie", true));
    }

    private RelayApiSettings relayApi(final Config c) {
        final RelayApiSettings api = new RelayApiSettings(get(() -> c.getString("relay.api.url"), "relay.api.url", ""),
                get(() -> c.getString("relay.api.user"), "relay.api.user", ""),
                get(() -> c.getString("relay.api.password"), "relay.api.password", ""));
        if (api.enabled() && !api.url().matches("https?://[^/\\s]+/?")) {
            problems.add("relay.api.url must be http(s)://host:port of the relay's control API");
        }
        if (api.enabled() && (api.user().isBlank() || api.password().isBlank())) {
            problems.add("relay.api.user and relay.api.password must be set with relay.api.url");
        }
        return api;
    }

    private DatabaseSettings database(final Config c) {
        final String url = get(() -> c.getString("database.url"), "database.url", "");
        final String file = get(() -> c.getString("database.sqlite-file"), "database.sqlite-file", "");
        if (url.isBlank() && file.isBlank()) {
            problems.add("database: set database.url (PostgreSQL) or database.sqlite-file (embedded SQLite)");
        }
        if (!url.isBlank() && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:sqlite:")) {
            problems.add("database.url must be a jdbc:postgresql: or jdbc:sqlite: URL");
        }
        return new DatabaseSettings(url.isBlank() ? "jdbc:sqlite:" + file : url,
                get(() -> c.getString("database.user"), "database.user", ""),
                get(() -> c.getString("database.password"), "database.password", ""),
                atLeast(c, "database.pool-size", 1), positive(c, "database.connect-timeout"),
                positive(c, "database.refresh-every"));
    }

    private Map<String, String> viewerUrls(final Config c, final String path) {
        final Map<String, String> urls = new LinkedHashMap<>();
        final ConfigObject object = get(() -> c.getObject(path), path, null);
        if (object != null) {
            for (final String kind : object.keySet()) {
                if (!URL_KINDS.contains(kind)) {
                    problems.add(path + "." + kind + " is not one of " + URL_KINDS);
                }
                urls.put(kind, get(() -> c.getString(path + "." + kind), path + "." + kind, ""));
            }
        }
        return urls;
    }

    private Map<String, RelaySettings> relays(final Config c, final Map<String, String> fallbackUrls) {
        final Map<String, RelaySettings> relays = new LinkedHashMap<>();
        final ConfigObject object = get(() -> c.getObject("relays"), "relays", null);
        if (object == null) {
            return relays;
        }
        for (final String name : new java.util.TreeSet<>(object.keySet())) {
            final String key = "relays.\"" + name + "\"";
            if (!RobotIds.isValid(name)) {
                problems.add(key + ": a relay name must be 1-64 letters, digits, '_' or '-'");
                continue;
            }
            if (object.get(name).valueType() != ConfigValueType.OBJECT) {
                problems.add(key + " must be an object with publish-url and viewer-urls");
                continue;
            }
            final Config r = c.getConfig(key);
            final String publishUrl = optional(r, "publish-url", key);
            if (publishUrl == null || !publishUrl.contains("{path}") || !publishUrl.contains("://")) {
                problems.add(key + ".publish-url must be a URL template with {path} (and {user}, {pass})");
            }
            final Map<String, String> urls = r.hasPath("viewer-urls") ? viewerUrls(c, key + ".viewer-urls") : fallbackUrls;
            relays.put(name, new RelaySettings(name, publishUrl, Map.copyOf(urls)));
        }
        return relays;
    }

    private Map<String, RobotSettings> robots(final Config c, final Set<String> relays, final String defaultRelay) {
        final Map<String, RobotSettings> robots = new LinkedHashMap<>();
        final ConfigObject object = get(() -> c.getObject("robots"), "robots", null);
        if (object == null) {
            return robots;
        }
        for (final String id : new java.util.TreeSet<>(object.keySet())) {
            final String key = "robots.\"" + id + "\"";
            if (!RobotIds.isValid(id)) {
                problems.add(key + ": robot id must be 1-64 letters, digits, '_' or '-'");
                continue;
            }
            if (object.get(id).valueType() != ConfigValueType.OBJECT) {
                problems.add(key + " must be an object");
                continue;
            }
            final Config r = c.getConfig(key);
            final String base = r.hasPath("base-topic") ? get(() -> r.getString("base-topic"), key + ".base-topic", "")
                    : Topics.fleetBase(id);
            final String baseProblem = Topics.problemWithBase(base);
            if (baseProblem != null) {
                problems.add(key + ".base-topic: " + baseProblem);
            }
            final String path = r.hasPath("relay-path") ? get(() -> r.getString("relay-path"), key + ".relay-path", "")
                    : "live/" + id;
            if (!RelayPaths.isValid(path)) {
                problems.add(key + ".relay-path must be levels of letters, digits, '_' or '-' separated by '/'");
            }
            final String user = optional(r, "publish-user", key);
            final String hash = optional(r, "publish-password-hash", key);
            if (hash != null && !SecretHash.isValid(hash)) {
                problems.add(key + ".publish-password-hash is not a valid hash (use `vigil-bridge hash-password`)");
            }
            if ((user == null) != (hash == null)) {
                problems.add(key + ": publish-user and publish-password-hash go together");
            }
            final String secret = optional(r, "publish-secret", key);
            final String publishKey = optional(r, "publish-key", key);
            if (publishKey != null && !PublishKeys.isPublicKey(publishKey)) {
                problems.add(key + ".publish-key is not an Ed25519 public key (ed25519-pub:..., from `vigil-bridge robot add`)");
            }
            final String relay = r.hasPath("relay") ? optional(r, "relay", key) : defaultRelay;
            if (!relays.contains(relay)) {
                problems.add(key + ".relay is not one of the relays " + relays);
            }
            robots.put(id, new RobotSettings(id, base, path, user, hash, secret, publishKey, relay));
        }
        final Set<String> paths = new java.util.HashSet<>();
        robots.values().forEach(r -> {
            if (!paths.add(r.relayPath())) {
                problems.add("robots: relay-path '" + r.relayPath() + "' is used by more than one robot");
            }
        });
        return robots;
    }

    private Map<String, AuthSettings.Credential> credentials(final Config c, final String path, final String hashKey) {
        final Map<String, AuthSettings.Credential> out = new LinkedHashMap<>();
        final ConfigObject object = get(() -> c.getObject(path), path, null);
        if (object == null) {
            return out;
        }
        for (final String name : object.keySet()) {
            final String key = path + ".\"" + name + "\"";
            if (object.get(name).valueType() != ConfigValueType.OBJECT) {
                problems.add(key + " must be an object with " + hashKey + " and role");
                continue;
            }
            final Config entry = c.getConfig(key);
            final String hash = optional(entry, hashKey, key);
            final String role = optional(entry, "role", key);
            if (hash == null || !SecretHash.isValid(hash)) {
                problems.add(key + "." + hashKey + " is missing or not a valid hash (use `vigil-bridge hash-password`)");
            }
            if (role == null || !ROLES.contains(role)) {
                problems.add(key + ".role must be viewer or operator");
            }
            if (name.contains(":")) {
                problems.add(key + ": a user name must not contain ':'");
            }
            final int maxViews = entry.hasPath("max-views") ? atLeast(c, key + ".max-views", 1)
                    : atLeast(c, "views.max-per-user", 1);
            out.put(name, new AuthSettings.Credential(hash, role, maxViews));
        }
        return out;
    }

    private String optional(final Config c, final String path, final String parent) {
        if (!c.hasPath(path)) {
            return null;
        }
        final String value = get(() -> c.getString(path), parent + "." + path, "");
        return value.isEmpty() ? null : value;
    }

    private String nonEmpty(final Config c, final String path) {
        final String value = get(() -> c.getString(path), path, "");
        if (value.isBlank() && c.hasPath(path)) {
            problems.add(path + " must not be empty");
        }
        return value;
    }

    private int port(final Config c, final String path, final boolean zeroAllowed) {
        final int value = get(() -> c.getInt(path), path, -1);
        if (c.hasPath(path) && (value < (zeroAllowed ? 0 : 1) || value > 65535) && value != -1) {
            problems.add(path + " must be a port number " + (zeroAllowed ? "0" : "1") + "-65535");
        }
        return value;
    }

    private int atLeast(final Config c, final String path, final int min) {
        final Integer value = get(() -> c.getInt(path), path, null);
        if (value != null && value < min) {
            problems.add(path + " must be at least " + min);
        }
        return value == null ? min : value;
    }

    private Duration positive(final Config c, final String path) {
        final Duration value = get(() -> c.getDuration(path), path, null);
        if (value != null && (value.isZero() || value.isNegative())) {
            problems.add(path + " must be a positive duration");
        }
        return value;
    }

    private Duration nonNegative(final Config c, final String path) {
        final Duration value = get(() -> c.getDuration(path), path, null);
        if (value != null && value.isNegative()) {
            problems.add(path + " must not be negative");
        }
        return value;
    }

    private <T> T get(final Supplier<T> read, final String path, final T fallback) {
        try {
            return read.get();
        } catch (final ConfigException.Missing e) {
            problems.add(path + " is missing");
        } catch (final ConfigException e) {
            problems.add(path + " has the wrong type or format (" + describe(e) + ")");
        }
        return fallback;
    }

    /** The exception's reason without the value (Typesafe messages may quote the value). */
    private static String describe(final ConfigException e) {
        return e instanceof ConfigException.WrongType ? "wrong type"
                : e instanceof ConfigException.BadValue ? "bad value" : e.getClass().getSimpleName();
    }
}
