package dev.vigil.agent.config;

import java.time.Duration;

/** How the agent reaches the broker. {@link #toString()} never shows the password. */
public record MqttSettings(String host, int port, String user, String password, boolean tls, String topic,
                           String clientId, Duration keepAlive, Duration sessionExpiry,
                           Duration reconnectInitialDelay, Duration reconnectMaxDelay) {

    /** True when a user name is configured. */
    public boolean hasCredentials() {
        return !user.isEmpty();
    }

    @Override
    public String toString() {
        return (tls ? "mqtts://" : "mqtt://") + (user.isEmpty() ? "" : user + ":***@") + host + ":" + port
                + " topic " + topic + " client " + clientId;
    }
}
