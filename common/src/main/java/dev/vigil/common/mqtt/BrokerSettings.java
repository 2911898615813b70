package dev.vigil.common.mqtt;

import java.time.Duration;

/**
 * How to reach the broker: what the agent and the bridge share. {@link #toString()} never shows the password.
 *
 * @param host                  broker host name or address (checked against its certificate with TLS)
 * @param port                  broker port
 * @param user                  user name, empty for none
 * @param password              password, empty for none
 * @param tls                   TLS, or {@link BrokerTls#OFF}
 * @param clientId              the MQTT client id
 * @param reconnectInitialDelay the first reconnect delay; it doubles up to the next
 * @param reconnectMaxDelay     the longest reconnect delay
 */
public record BrokerSettings(String host, int port, String user, String password, BrokerTls tls, String clientId,
                             Duration reconnectInitialDelay, Duration reconnectMaxDelay) {

    /** True when a user name is configured. */
    public boolean hasCredentials() {
        return !user.isEmpty();
    }

    /** host:port. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return (tls.enabled() ? "mqtts://" : "mqtt://") + (user.isEmpty() ? "" : user + ":***@") + address()
                + (tls.enabled() ? " (trusting " + tls.trustedBy() + ")" : "") + " client " + clientId;
    }
}
