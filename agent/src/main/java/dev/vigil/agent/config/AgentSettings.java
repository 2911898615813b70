package dev.vigil.agent.config;

import dev.vigil.agent.supervise.SupervisorSettings;
import java.time.Duration;

/** Everything the agent is configured with, validated once at start-up by {@link SettingsLoader}. */
public record AgentSettings(String robotId, MqttSettings mqtt, MediaSettings media, PipelineSettings pipeline,
                            SupervisorSettings supervisor, MotionSettings motion, SnapshotSettings snapshot,
                            HomeAssistantSettings homeAssistant, Duration shutdownStepTimeout) {
}
