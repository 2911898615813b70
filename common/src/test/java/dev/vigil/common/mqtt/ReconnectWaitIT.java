package dev.vigil.common.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.vigil.testkit.Mosquitto;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The shared client and its reconnect wait against a real mosquitto that goes away and comes back. */
class ReconnectWaitIT {

    private static final String USER = "bridge";
    private static final String PASSWORD = "reconnect-Pa55-word-8";

    @Test
    void await_waitsThroughAnOutage_andIsTrueOnceTheClientIsBackOnTheRestartedBroker() {
        try (Mosquitto broker = Mosquitto.builder().user(USER, PASSWORD).start()) {
            // The bridge's reference delays: back within a second of the broker.
            final BrokerSettings settings = new BrokerSettings(broker.host(), broker.port(), USER, PASSWORD, BrokerTls.OFF,
                    "reconnect-it-" + System.nanoTime(), Duration.ofMillis(200), Duration.ofMillis(750));
            final Mqtt5AsyncClient[] client = new Mqtt5AsyncClient[1];
            final ReconnectWait reconnect = new ReconnectWait(() -> client[0].getState().isConnected());
            client[0] = MqttClients.builder(settings, UnaryOperator.identity()).addConnectedListener(reconnect).buildAsync();
            client[0].connect();
            try {
                assertTrue(reconnect.await(Duration.ofSeconds(20)), "never connected");
                broker.stop();
                await().atMost(Duration.ofSeconds(20)).until(() -> !client[0].getState().isConnected());
                assertFalse(reconnect.await(Duration.ofMillis(300)), "connected to a stopped broker");

                final CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> reconnect.await(Duration.ofSeconds(60)));
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
                broker.restart();
                await().atMost(Duration.ofSeconds(30)).until(() -> waiting.getNow(false));
                assertTrue(client[0].getState().isConnected());
            } finally {
                client[0].disconnect();
            }
        }
    }
}
