package dev.vigil.common.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The one MQTT 5 client builder of the agent and the bridge: host, port, client id, TLS (the
 * configured CA file or the JVM's trust store, and always the host name check), credentials and
 * automatic reconnect with backoff, plus a log of the connection that names why it failed in one
 * line and does not repeat itself while it retries. Credentials sit on the client, not on one
 * CONNECT, so every automatic reconnect sends them too. The caller adds its Will, listeners and
 * executors, and builds.
 */
public final class MqttClients {

    private MqttClients() {
    }

    /**
     * @param masker masks secrets in the connection log
     */
    public static Mqtt5ClientBuilder builder(final BrokerSettings broker, final UnaryOperator<String> masker) {
        final ConnectionLog log = new ConnectionLog(broker, masker);
        Mqtt5ClientBuilder builder = MqttClient.builder()
                .useMqttVersion5()
                .identifier(broker.clientId())
                .serverHost(broker.host())
                .serverPort(broker.port())
                .automaticReconnect()
                .initialDelay(broker.reconnectInitialDelay().toMillis(), TimeUnit.MILLISECONDS)
                .maxDelay(broker.reconnectMaxDelay().toMillis(), TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(log::onConnected)
                .addDisconnectedListener(log::onDisconnected);
        if (broker.tls().enabled()) {
            // No hostname verifier: HiveMQ then turns on the engine's HTTPS endpoint identification,
            // which BrokerTrust's second step enforces.
            builder = builder.sslConfig(MqttClientSslConfig.builder()
                    .trustManagerFactory(BrokerTrust.factory(broker.host(), broker.tls()))
                    .build());
        }
        if (broker.hasCredentials()) {
            builder = builder.simpleAuth()
                    .username(broker.user())
                    .password(broker.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        return builder;
    }
}
