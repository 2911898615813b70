package dev.vigil.agent.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import dev.vigil.agent.supervise.SupervisorSettings;
import dev.vigil.protocol.RobotIds;
import dev.vigil.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds {@link AgentSettings} from Typesafe Config (reference.conf, the operator's file, the
 * environment) and checks it, collecting every problem before it gives up. Messages name keys and
 * what is wrong with them, never a secret's value.
 */
public final class SettingsLoader {

    private static final String ROOT = "vigil.agent";

    private final List<String> problems = new ArrayList<>();
    private final Config config;

    private SettingsLoader(final Config config) {
        this.config = config;
    }

    /**
     * Loads the stack, strongest first: {@code -D} system properties, the environment variables
     * ({@link EnvironmentOverrides}), the operator's {@code config.file}, reference.conf.
     */
    public static AgentSettings loadDefault() throws ConfigProblemsException {
        final Config config;
        try {
            ConfigFactory.invalidateCaches();
            config = ConfigFactory.systemProperties()
                    .withFallback(EnvironmentOverrides.of(System.getenv()))
                    .withFallback(ConfigFactory.load())
                    .resolve();
        } catch (final ConfigException e) {
            throw new ConfigProblemsException(List.of(oneLine(e)));
        }
        return load(config);
    }

    /** Builds and checks the settings under {@code vigil.agent} of {@code config}. */
    public static AgentSettings load(final Config config) throws ConfigProblemsException {
        final SettingsLoader loader = new SettingsLoader(config);
        final AgentSettings settings = loader.build();
        if (!loader.problems.isEmpty()) {
            throw new ConfigProblemsException(loader.problems);
        }
        return settings;
    }

    private AgentSettings build() {
        final String robotId = string("robot-id");
        if (robotId != null && !RobotIds.isValid(robotId)) {
            problems.add(key("robot-id") + ": must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        final MqttSettings mqtt = mqtt(robotId);
        final MediaSettings media = media();
        final PipelineSettings pipeline = pipeline();
        final SupervisorSettings supervisor = supervisor(pipeline == null ? "" : pipeline.name());
        final Duration stepTimeout = positive("shutdown.step-timeout");
        final String holdFile = nonBlank("hold-file");
        return new AgentSettings(robotId, mqtt, media, pipeline, supervisor, stepTimeout,
                holdFile == null ? null : Path.of(holdFile));
    }

    private MqttSettings mqtt(final String robotId) {
        final String host = nonBlank("mqtt.host");
        final Integer port = port("mqtt.port");
        final String user = string("mqtt.user");
        final String password = string("mqtt.password");
        if (user != null && user.isEmpty() && password != null && !password.isEmpty()) {
            problems.add(key("mqtt.password") + ": is set but mqtt.user (MQTT_USER) is empty");
        }
        final Boolean tls = bool("mqtt.tls");
        final String topic = string("mqtt.topic");
        if (topic != null && Topics.problemWithBase(topic) != null) {
            problems.add(key("mqtt.topic") + ": " + Topics.problemWithBase(topic));
        }
        final String configuredId = string("mqtt.client-id");
        final String clientId = configuredId == null || configuredId.isEmpty() ? "vigil-agent-" + robotId : configuredId;
        final Duration keepAlive = positive("mqtt.keep-alive");
        final Duration sessionExpiry = positive("mqtt.session-expiry");
        final Duration initial = positive("mqtt.reconnect-initial-delay");
        final Duration max = positive("mqtt.reconnect-max-delay");
        if (anyNull(host, port, user, password, tls, topic, keepAlive, sessionExpiry, initial, max)) {
            return null;
        }
        return new MqttSettings(host, port, user, password, tls, topic, clientId, keepAlive, sessionExpiry, initial, max);
    }

    private MediaSettings media() {
        final String server = nonBlank("media.server");
        if (server != null && !server.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?")) {
            problems.add(key("media.server") + ": must be host or host:port");
        }
        final String path = nonBlank("media.path");
        if (path != null && !path.matches("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*")) {
            problems.add(key("media.path") + ": must be letters, digits, '_', '-' separated by '/'");
        }
        final String user = string("media.publish-user");
        final String password = string("media.publish-password");
        final String template = nonBlank("media.url-template");
        final Boolean tokenAuth = bool("media.token-auth");
        final Duration tokenTtl = positive("media.token-ttl");
        if (Boolean.TRUE.equals(tokenAuth) && password != null && password.isEmpty()) {
            problems.add(key("media.token-auth") + ": needs media.publish-password (MEDIA_PUBLISH_PASS) as the token key");
        }
        if (template != null && !template.contains("{server}")) {
            problems.add(key("media.url-template") + ": must contain {server}");
        }
        if (anyNull(server, path, user, password, template, tokenAuth, tokenTtl)) {
            return null;
        }
        return new MediaSettings(server.contains(":") ? server : server + ":1935", path, user, password, template, tokenAuth, tokenTtl);
    }

    private PipelineSettings pipeline() {
        final String name = nonBlank("pipeline.name");
        if (name != null && !name.matches("[A-Za-z0-9_\\-]+")) {
            problems.add(key("pipeline.name") + ": must be a template name such as picam-x264");
        }
        final String dir = nonBlank("pipeline.dir");
        final Map<String, String> params = params();
        final String gstLaunch = nonBlank("pipeline.gst-launch");
        final String gstInspect = nonBlank("pipeline.gst-inspect");
        if (anyNull(name, dir, params, gstLaunch, gstInspect)) {
            return null;
        }
        final PipelineSettings settings = new PipelineSettings(name, Path.of(dir), params, gstLaunch, gstInspect);
        if (!Files.isDirectory(settings.dir())) {
            problems.add(key("pipeline.dir") + ": " + dir + " is not a folder");
        } else if (!Files.isRegularFile(settings.templateFile())) {
            problems.add(key("pipeline.name") + ": no template " + settings.templateFile());
        }
        return settings;
    }

    private Map<String, String> params() {
        return get("pipeline.params", () -> {
            final Map<String, String> params = new LinkedHashMap<>();
            for (final Map.Entry<String, ConfigValue> entry : config.getConfig(ROOT + ".pipeline.params").entrySet()) {
                params.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
            }
            return params;
        }, "must be an object of parameter values");
    }

    private SupervisorSettings supervisor(final String pipelineName) {
        final Duration initial = positive("supervisor.backoff.initial");
        final Duration max = positive("supervisor.backoff.max");
        final Double jitter = get("supervisor.backoff.jitter", () -> config.getDouble(ROOT + ".supervisor.backoff.jitter"), "must be a number");
        if (jitter != null && (jitter < 0 || jitter >= 1)) {
            problems.add(key("supervisor.backoff.jitter") + ": must be at least 0 and below 1");
        }
        final Duration reset = positive("supervisor.backoff.reset-after");
        final Integer count = get("supervisor.failure-budget.count", () -> config.getInt(ROOT + ".supervisor.failure-budget.count"), "must be a whole number");
        if (count != null && count < 1) {
            problems.add(key("supervisor.failure-budget.count") + ": must be at least 1");
        }
        final Duration window = positive("supervisor.failure-budget.window");
        final Duration startTimeout = positive("supervisor.start-timeout");
        final Duration stallTimeout = positive("supervisor.stall-timeout");
        final Duration interruptGrace = positive("supervisor.stop.interrupt-grace");
        final Duration terminateGrace = positive("supervisor.stop.terminate-grace");
        final Duration maxDuration = duration("supervisor.max-stream-duration");
        final String pidFile = nonBlank("supervisor.pid-file");
        final Integer lines = get("supervisor.last-error-lines", () -> config.getInt(ROOT + ".supervisor.last-error-lines"), "must be a whole number");
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            problems.add(key("supervisor.backoff.max") + ": must not be shorter than supervisor.backoff.initial");
        }
        if (anyNull(initial, max, jitter, reset, count, window, startTimeout, stallTimeout, interruptGrace, terminateGrace,
                maxDuration, pidFile, lines)) {
            return null;
        }
        return new SupervisorSettings(pipelineName, initial, max, jitter, reset, count, window, startTimeout, stallTimeout,
                interruptGrace, terminateGrace, maxDuration, Path.of(pidFile), lines);
    }

    private String string(final String path) {
        return get(path, () -> config.getString(ROOT + "." + path), "must be a string");
    }

    private String nonBlank(final String path) {
        final String value = string(path);
        if (value != null && value.isBlank()) {
            problems.add(key(path) + ": must not be empty");
            return null;
        }
        return value;
    }

    private Boolean bool(final String path) {
        return get(path, () -> config.getBoolean(ROOT + "." + path), "must be true or false");
    }

    private Integer port(final String path) {
        final Integer port = get(path, () -> config.getInt(ROOT + "." + path), "must be a port number");
        if (port != null && (port < 1 || port > 65535)) {
            problems.add(key(path) + ": must be a port number from 1 to 65535");
            return null;
        }
        return port;
    }

    private Duration duration(final String path) {
        final Duration value = get(path, () -> config.getDuration(ROOT + "." + path), "must be a duration such as 30s or 2m");
        if (value != null && value.isNegative()) {
            problems.add(key(path) + ": must not be negative");
            return null;
        }
        return value;
    }

    private Duration positive(final String path) {
        final Duration value = duration(path);
        if (value != null && value.isZero()) {
            problems.add(key(path) + ": must be longer than zero");
            return null;
        }
        return value;
    }

    private <T> T get(final String path, final Supplier<T> read, final String expectation) {
        try {
            return read.get();
        } catch (final ConfigException.Missing e) {
            problems.add(key(path) + ": is missing");
        } catch (final ConfigException e) {
            problems.add(key(path) + ": " + expectation);
        }
        return null;
    }

    /** The full key, and the environment variable that sets it, if there is one. */
    private static String key(final String path) {
        return ROOT + "." + path + EnvironmentOverrides.KEYS.entrySet().stream()
                .filter(e -> e.getValue().equals(path)).map(e -> " (" + e.getKey() + ")").findFirst().orElse("");
    }

    private static boolean anyNull(final Object... values) {
        for (final Object value : values) {
            if (value == null) {
                return true;
            }
        }
        return false;
    }

    /** A Typesafe Config parse error, on one line, without the offending text (it may be a secret). */
    private static String oneLine(final ConfigException e) {
        final String origin = e.origin() == null ? "configuration" : e.origin().description();
        return "cannot read " + origin + ": " + (e instanceof ConfigException.Parse ? "syntax error" : e.getClass().getSimpleName());
    }
}
