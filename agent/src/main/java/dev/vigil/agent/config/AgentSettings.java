package dev.vigil.agent.config;

import dev.vigil.agent.supervise.SupervisorSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the agent is configured with, validated once at start-up by {@link SettingsLoader}.
 *
 * @param holdFile            where the operator's hold (from {@code <topic>/control}) is kept across restarts
 * @param warningSummaryEvery a warning that repeats (a refused command) is logged once, then summarised this often
 */
public record AgentSettings(String robotId, MqttSettings mqtt, MediaSettings media, PipelineSettings pipeline,
                            SupervisorSettings supervisor, MotionSettings motion, SnapshotSettings snapshot,
                            HomeAssistantSettings homeAssistant, Duration shutdownStepTimeout, Path holdFile,
                            Duration warningSummaryEvery) {
}
