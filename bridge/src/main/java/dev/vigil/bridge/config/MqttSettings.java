package dev.vigil.bridge.config;

import dev.vigil.common.mqtt.BrokerSettings;
import dev.vigil.common.mqtt.BrokerTls;
import java.time.Duration;

/**
 * The broker connection.
 *
 * @param broker                broker host
 * @param port                  broker port
 * @param user                  user name, empty for none
 * @param password              password, empty for none; never logged
 * @param tls                   TLS to the broker (a CA file or the JVM's trust store; the host name is always checked)
 * @param clientId              MQTT client id
 * @param commandExpiry         message expiry of every command
 * @param publishTimeout        how long a request waits for the PUBACK
 * @param reconnectInitialDelay first reconnect delay
 * @param reconnectMaxDelay     longest reconnect delay
 */
public record MqttSettings(String broker, int port, String user, String password, BrokerTls tls, String clientId,
                           Duration commandExpiry, Duration publishTimeout,
                           Duration reconnectInitialDelay, Duration reconnectMaxDelay) {

    /** Built from what the agent and the bridge share. */
    public static MqttSettings of(final BrokerSettings connection, final Duration commandExpiry, final Duration publishTimeout) {
        return new MqttSettings(connection.host(), connection.port(), connection.user(), connection.password(), connection.tls(),
                connection.clientId(), commandExpiry, publishTimeout, connection.reconnectInitialDelay(), connection.reconnectMaxDelay());
    }

    /** The part the shared MQTT client builder takes. */
    public BrokerSettings connection() {
        return new BrokerSettings(broker, port, user, password, tls, clientId, reconnectInitialDelay, reconnectMaxDelay);
    }

    @Override
    public String toString() {
        return "MqttSettings[broker=" + broker + ", port=" + port + ", user=" + user + ", tls=" + tls.enabled()
                + ", clientId=" + clientId + "]";
    }
}
