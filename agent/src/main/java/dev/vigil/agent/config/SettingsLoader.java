package dev.vigil.agent.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.vigil.agent.supervise.SupervisorSettings;
import dev.vigil.common.config.ConfigProblemsException;
import dev.vigil.common.config.ConfigReader;
import dev.vigil.common.config.LayeredConfig;
import dev.vigil.common.config.OldForms;
import dev.vigil.common.mqtt.BrokerSettings;
import dev.vigil.common.mqtt.BrokerSettingsReader;
import dev.vigil.protocol.RobotIds;
import dev.vigil.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds {@link AgentSettings} from the shared config layers (reference.conf, the operator's file,
 * the environment, {@code -D}), checked against reference.conf first and then here for what
 * Typesafe cannot check, collecting every problem before it gives up. reference.conf holds every
 * default; nothing here repeats one.
 */
public final class SettingsLoader {

    private static final String TLS = "vigil.agent.mqtt.tls";
    /** The template's parameters: the operator's own entries. */
    private static final String PARAMS = "pipeline.params";
    /** The watch template's parameters: the operator's own entries too. */
    private static final String WATCH_PARAMS = "motion.watch-params";

    private final ConfigReader reader;

    private SettingsLoader(final Config config) {
        this.reader = new ConfigReader(config, AgentEnvironment.LAYER);
    }

    /** Loads the stack, strongest first: {@code -D} system properties, the environment, the operator's file, reference.conf. */
    public static AgentSettings loadDefault() throws ConfigProblemsException {
        return load(LayeredConfig.load(files -> AgentEnvironment.LAYER.layer(System.getenv()),
                SettingsLoader::oldForms, AgentEnvironment.LAYER, PARAMS, WATCH_PARAMS));
    }

    /** Each layer's old forms read the new way: {@code mqtt.tls = true|false} is {@code mqtt.tls.enabled}. */
    public static Config oldForms(final Config layer) {
        return OldForms.valueToObject(layer, TLS, "enabled");
    }

    /** Builds and checks the settings under {@code vigil.agent} of {@code config}. */
    public static AgentSettings load(final Config config) throws ConfigProblemsException {
        LayeredConfig.checkValid(config, AgentEnvironment.LAYER, PARAMS, WATCH_PARAMS);
        final SettingsLoader loader = new SettingsLoader(config);
        final AgentSettings settings = loader.build();
        loader.reader.throwIfAny();
        return settings;
    }

    private AgentSettings build() {
        final String robotId = reader.string("robot-id");
        if (robotId != null && !RobotIds.isValid(robotId)) {
            reader.problem("robot-id", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        final MqttSettings mqtt = mqtt(robotId);
        final MediaSettings media = media();
        final PipelineSettings pipeline = pipeline();
        final SupervisorSettings supervisor = supervisor(pipeline == null ? "" : pipeline.name());
        final MotionSettings motion = motion();
        final SnapshotSettings snapshot = snapshot();
        final HomeAssistantSettings homeAssistant = homeAssistant(robotId);
        final Duration stepTimeout = reader.positive("shutdown.step-timeout");
        final Duration summaryEvery = reader.positive("log.repeated-warning-summary-every");
        final String holdFile = reader.nonBlank("hold-file");
        return new AgentSettings(robotId, mqtt, media, pipeline, supervisor, motion, snapshot, homeAssistant, stepTimeout,
                holdFile == null ? null : Path.of(holdFile), summaryEvery);
    }

    private MqttSettings mqtt(final String robotId) {
        final String configuredId = reader.string("mqtt.client-id");
        final String clientId = configuredId == null || configuredId.isEmpty() ? "vigil-agent-" + robotId : configuredId;
        final BrokerSettings broker = BrokerSettingsReader.read(reader, "host", clientId);
        final String user = reader.string("mqtt.user");
        final String password = reader.string("mqtt.password");
        if (user != null && user.isEmpty() && password != null && !password.isEmpty()) {
            reader.problem("mqtt.password", "is set but mqtt.user (MQTT_USER) is empty");
        }
        final String topic = reader.string("mqtt.topic");
        if (topic != null && Topics.problemWithBase(topic) != null) {
            reader.problem("mqtt.topic", Topics.problemWithBase(topic));
        }
        final Duration keepAlive = reader.positive("mqtt.keep-alive");
        final Duration sessionExpiry = reader.positive("mqtt.session-expiry");
        if (ConfigReader.anyNull(broker, topic, keepAlive, sessionExpiry)) {
            return null;
        }
        return new MqttSettings(broker, topic, keepAlive, sessionExpiry);
    }

    private MediaSettings media() {
        final String server = reader.nonBlank("media.server");
        if (server != null && !server.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?")) {
            reader.problem("media.server", "must be host or host:port");
        }
        final Integer defaultPort = reader.port("media.default-port", false);
        final String path = reader.nonBlank("media.path");
        if (path != null && !path.matches("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*")) {
            reader.problem("media.path", "must be letters, digits, '_', '-' separated by '/'");
        }
        final String user = reader.string("media.publish-user");
        final String password = reader.string("media.publish-password");
        final String template = reader.nonBlank("media.url-template");
        final Boolean tokenAuth = reader.bool("media.token-auth");
        final Duration tokenTtl = reader.positive("media.token-ttl");
        if (Boolean.TRUE.equals(tokenAuth) && password != null && password.isEmpty()) {
            reader.problem("media.token-auth", "needs media.publish-password (MEDIA_PUBLISH_PASS) as the token key");
        }
        if (template != null && !template.contains("{server}")) {
            reader.problem("media.url-template", "must contain {server}");
        }
        if (ConfigReader.anyNull(server, defaultPort, path, user, password, template, tokenAuth, tokenTtl)) {
            return null;
        }
        final boolean hasPort = server.matches(".*:\\d{1,5}") && !server.endsWith("]");
        return new MediaSettings(hasPort ? server : server + ":" + defaultPort, path, user, password, template, tokenAuth, tokenTtl);
    }

    private PipelineSettings pipeline() {
        final String name = reader.nonBlank("pipeline.name");
        if (name != null && !name.matches("[A-Za-z0-9_\\-]+")) {
            reader.problem("pipeline.name", "must be a template name such as picam-x264");
        }
        final String dir = reader.nonBlank("pipeline.dir");
        final Map<String, String> params = params(PARAMS);
        final String gstLaunch = reader.nonBlank("pipeline.gst-launch");
        final String gstInspect = reader.nonBlank("pipeline.gst-inspect");
        if (ConfigReader.anyNull(name, dir, gstLaunch, gstInspect)) {
            return null;
        }
        final PipelineSettings settings = new PipelineSettings(name, Path.of(dir), params, gstLaunch, gstInspect);
        if (!Files.isDirectory(settings.dir())) {
            reader.problem("pipeline.dir", dir + " is not a folder");
        } else if (!Files.isRegularFile(settings.templateFile())) {
            reader.problem("pipeline.name", "no template " + settings.templateFile());
        }
        return settings;
    }

    /** An object of the operator's own parameter values (checkValid made sure it is an object). */
    private Map<String, String> params(final String path) {
        final Map<String, String> params = new LinkedHashMap<>();
        for (final Map.Entry<String, ConfigValue> entry : reader.config().getConfig(path).entrySet()) {
            params.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
        }
        return params;
    }

    private MotionSettings motion() {
        final Boolean enabled = reader.bool("motion.enabled");
        final String watch = reader.string("motion.watch-pipeline");
        if (watch != null && !watch.isEmpty() && !watch.matches("[A-Za-z0-9_\\-]+")) {
            reader.problem("motion.watch-pipeline", "must be a template name such as picam, or empty");
        }
        final Map<String, String> watchParams = params(WATCH_PARAMS);
        final Integer width = between("motion.width", 16, 1920);
        final Integer framerate = between("motion.framerate", 1, 30);
        final Double sensitivity = unit("motion.sensitivity");
        final Double minArea = unit("motion.min-area");
        final Integer minFrames = between("motion.min-frames", 1, 60);
        final Duration gap = reader.positive("motion.gap");
        if (gap != null && (gap.toMillis() % 1000 != 0 || gap.toSeconds() > 60)) {
            reader.problem("motion.gap", "must be whole seconds from 1s to 60s");
        }
        final Duration cooldown = reader.duration("motion.cooldown");
        final Duration lease = reader.positive("motion.stream-lease");
        final String modeFile = reader.nonBlank("motion.mode-file");
        if (ConfigReader.anyNull(enabled, watch, width, framerate, sensitivity, minArea, minFrames, gap, cooldown, lease,
                modeFile)) {
            return null;
        }
        return new MotionSettings(enabled, watch, watchParams, width, framerate, sensitivity, minArea, minFrames, gap,
                cooldown, lease, Path.of(modeFile));
    }

    private SnapshotSettings snapshot() {
        final Integer width = between("snapshot.width", 16, 1920);
        final Integer quality = between("snapshot.quality", 1, 100);
        final Duration interval = reader.positive("snapshot.interval");
        final Duration maxAge = reader.positive("snapshot.max-age");
        final Duration timeout = reader.positive("snapshot.timeout");
        final String dir = reader.nonBlank("snapshot.dir");
        if (dir != null && !dir.matches("[A-Za-z0-9_./\\-]+")) {
            reader.problem("snapshot.dir", "must be a path of letters, digits and _ . / - only");
        }
        if (interval != null && maxAge != null && maxAge.compareTo(interval) <= 0) {
            reader.problem("snapshot.max-age", "must be longer than snapshot.interval");
        }
        if (ConfigReader.anyNull(width, quality, interval, maxAge, timeout, dir)) {
            return null;
        }
        return new SnapshotSettings(width, quality, interval, maxAge, timeout, Path.of(dir).toAbsolutePath());
    }

    private HomeAssistantSettings homeAssistant(final String robotId) {
        final Boolean enabled = reader.bool("home-assistant.enabled");
        final String prefix = reader.nonBlank("home-assistant.discovery-prefix");
        if (prefix != null && Topics.problemWithBase(prefix) != null) {
            reader.problem("home-assistant.discovery-prefix", Topics.problemWithBase(prefix));
        }
        final String name = reader.string("home-assistant.name");
        final Duration lease = reader.positive("home-assistant.live-lease");
        if (ConfigReader.anyNull(enabled, prefix, name, lease)) {
            return null;
        }
        return new HomeAssistantSettings(enabled, prefix, name.isBlank() ? "Vigil " + robotId : name, lease);
    }

    private Integer between(final String path, final int min, final int max) {
        final Integer value = reader.atLeast(path, min);
        if (value != null && value > max) {
            reader.problem(path, "must be from " + min + " to " + max);
            return null;
        }
        return value;
    }

    /** A number from 0 to 1, both included. */
    private Double unit(final String path) {
        final Double value = reader.fraction(path, 0, Double.MAX_VALUE);
        if (value != null && value > 1) {
            reader.problem(path, "must be from 0 to 1");
            return null;
        }
        return value;
    }

    private SupervisorSettings supervisor(final String pipelineName) {
        final Duration initial = reader.positive("supervisor.backoff.initial");
        final Duration max = reader.positive("supervisor.backoff.max");
        final Double jitter = reader.fraction("supervisor.backoff.jitter", 0, 1);
        final Duration reset = reader.positive("supervisor.backoff.reset-after");
        final Integer count = reader.atLeast("supervisor.failure-budget.count", 1);
        final Duration window = reader.positive("supervisor.failure-budget.window");
        final Duration startTimeout = reader.positive("supervisor.start-timeout");
        final Duration confirm = reader.duration("supervisor.streaming-confirm");
        final Duration stallTimeout = reader.positive("supervisor.stall-timeout");
        final Duration interruptGrace = reader.positive("supervisor.stop.interrupt-grace");
        final Duration terminateGrace = reader.positive("supervisor.stop.terminate-grace");
        final Duration maxDuration = reader.duration("supervisor.max-stream-duration");
        final String pidFile = reader.nonBlank("supervisor.pid-file");
        final Integer lines = reader.atLeast("supervisor.last-error-lines", 0);
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            reader.problem("supervisor.backoff.max", "must not be shorter than supervisor.backoff.initial");
        }
        if (ConfigReader.anyNull(initial, max, jitter, reset, count, window, startTimeout, confirm, stallTimeout,
                interruptGrace, terminateGrace, maxDuration, pidFile, lines)) {
            return null;
        }
        return new SupervisorSettings(pipelineName, initial, max, jitter, reset, count, window, startTimeout, confirm,
                stallTimeout, interruptGrace, terminateGrace, maxDuration, Path.of(pidFile), lines);
    }
}
