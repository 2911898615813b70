package dev.vigil.agent.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables of the original robot script (and the agent's own) as a config layer
 * that wins over the operator's file, as the architecture asks. ({@code ${?VAR}} lines in
 * reference.conf would lose to any value the operator's file sets.)
 */
public final class EnvironmentOverrides {

    /** Variable -> key under {@code vigil.agent}. */
    public static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("ROBOT_ID", "robot-id"),
            Map.entry("MQTT_BROKER", "mqtt.host"),
            Map.entry("MQTT_PORT", "mqtt.port"),
            Map.entry("MQTT_USER", "mqtt.user"),
            Map.entry("MQTT_PASS", "mqtt.password"),
            Map.entry("MQTT_TLS", "mqtt.tls"),
            Map.entry("MQTT_TOPIC", "mqtt.topic"),
            Map.entry("MEDIA_SERVER", "media.server"),
            Map.entry("MEDIA_PATH", "media.path"),
            Map.entry("MEDIA_PUBLISH_USER", "media.publish-user"),
            Map.entry("MEDIA_PUBLISH_PASS", "media.publish-password"),
            Map.entry("MEDIA_URL_TEMPLATE", "media.url-template"),
            Map.entry("MEDIA_TOKEN_AUTH", "media.token-auth"),
            Map.entry("AGENT_PIPELINE", "pipeline.name"),
            Map.entry("AGENT_PIPELINES_DIR", "pipeline.dir"),
            Map.entry("AGENT_PID_FILE", "supervisor.pid-file"),
            Map.entry("AGENT_HOLD_FILE", "hold-file"));

    private EnvironmentOverrides() {
    }

    /** The config layer made of the variables present in {@code env}. */
    public static Config of(final Map<String, String> env) {
        final Map<String, Object> values = new LinkedHashMap<>();
        KEYS.forEach((variable, key) -> {
            final String value = env.get(variable);
            if (value != null) {
                values.put("vigil.agent." + key, value);
            }
        });
        return ConfigFactory.parseMap(values, "environment variables");
    }
}
