package dev.vigil.agent.config;

import dev.vigil.common.config.EnvironmentLayer;
import java.util.Map;

/** The environment variables of the original robot script (and the agent's own), and the keys they set. */
public final class AgentEnvironment {

    /** Variable -> key under {@code vigil.agent}. */
    public static final EnvironmentLayer LAYER = EnvironmentLayer.of("vigil.agent", Map.ofEntries(
            Map.entry("ROBOT_ID", "robot-id"),
            Map.entry("MQTT_BROKER", "mqtt.host"),
            Map.entry("MQTT_PORT", "mqtt.port"),
            Map.entry("MQTT_USER", "mqtt.user"),
            Map.entry("MQTT_PASS", "mqtt.password"),
            Map.entry("MQTT_TLS", "mqtt.tls.enabled"),
            Map.entry("MQTT_CA_FILE", "mqtt.tls.ca-file"),
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
            Map.entry("AGENT_MOTION", "motion.enabled"),
            Map.entry("AGENT_HOME_ASSISTANT", "home-assistant.enabled"),
            Map.entry("AGENT_SNAPSHOT_DIR", "snapshot.dir"),
            Map.entry("AGENT_HOLD_FILE", "hold-file")));

    private AgentEnvironment() {
    }
}
