package dev.vigil.agent.config;

import dev.vigil.common.mqtt.BrokerSettings;
import java.time.Duration;

/**
 * How the agent reaches the broker and what it keeps there. {@link #toString()} never shows the password.
 *
 * @param broker        host, port, credentials, TLS, client id, reconnect backoff
 * @param topic         the command topic; state and availability go below it
 * @param keepAlive     MQTT keep-alive
 * @param sessionExpiry how long the broker keeps the session while the agent is away
 */
public record MqttSettings(BrokerSettings broker, String topic, Duration keepAlive, Duration sessionExpiry) {

    @Override
    public String toString() {
        return broker + " topic " + topic;
    }
}
