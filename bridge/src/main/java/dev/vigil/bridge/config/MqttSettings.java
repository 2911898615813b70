package dev.vigil.bridge.config;

import java.time.Duration;

/**
 * The broker connection.
 *
 * @param broker                broker host
 * @param port                  broker port
 * @param user                  user name, empty for none
 * @param password              password, empty for none; never logged
 * @param clientId              MQTT client id
 * @param commandExpiry         message expiry of every command
 * @param publishTimeout        how long a request waits for the PUBACK
 * @param reconnectInitialDelay first reconnect delay
 * @param reconnectMaxDelay     longest reconnect delay
 */
public record MqttSettings(String broker, int port, String user, String password, String clientId,
                           Duration commandExpiry, Duration publishTimeout,
                           Duration reconnectInitialDelay, Duration reconnectMaxDelay) {

    @Override
    public String toString() {
        return "MqttSettings[broker=" + broker + ", port=" + port + ", user=" + user + ", clientId=" + clientId + "]";
    }
}
