package dev.vigil.agent.config;

import java.time.Duration;

/**
 * Home Assistant MQTT discovery (see {@code vigil.agent.home-assistant} in reference.conf).
 *
 * @param enabled         whether the agent publishes the discovery payload
 * @param discoveryPrefix HA's discovery prefix
 * @param name            the device's name in HA
 * @param liveLease       the lease of a stream that the Live switch starts
 */
public record HomeAssistantSettings(boolean enabled, String discoveryPrefix, String name, Duration liveLease) {
}
