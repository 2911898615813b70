package dev.vigil.bench.fleet;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.StateCodec;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import dev.vigil.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An MQTT observer of the whole fleet ({@code robots/+/stream/state} and {@code /availability}) that
 * notes when each robot last reached each state and availability, in {@link System#nanoTime()}; and
 * a publisher of commands straight to a robot's topic, for the floor that has no bridge in it.
 */
final class StateWatcher implements AutoCloseable {

    private final Mqtt5AsyncClient client;
    private final Map<String, Map<StreamState, Long>> reached = new ConcurrentHashMap<>();
    private final Map<String, Long> online = new ConcurrentHashMap<>();

    StateWatcher(final String host, final int port, final String user, final String password) throws Exception {
        client = MqttClient.builder().useMqttVersion5().identifier("bench-watcher-" + UUID.randomUUID())
                .serverHost(host).serverPort(port)
                .automaticReconnectWithDefaultConfig()
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildAsync();
        client.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
        client.subscribeWith().addSubscription().topicFilter("robots/+/stream/state").qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .addSubscription().topicFilter("robots/+/stream/availability").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .callback(publish -> {
                    final long now = System.nanoTime();
                    final String topic = publish.getTopic().toString();
                    final String id = topic.split("/")[1];
                    if (topic.endsWith("/availability")) {
                        if (Topics.ONLINE.equals(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8))) {
                            online.put(id, now);
                        } else {
                            online.remove(id);
                        }
                        return;
                    }
                    try {
                        final StateMessage state = StateCodec.decode(publish.getPayloadAsBytes());
                        reached.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(state.state(), now);
                    } catch (final RuntimeException | dev.vigil.protocol.InvalidMessageException e) {
                        // not a state: ignored
                    }
                })
                .send().get(10, TimeUnit.SECONDS);
    }

    /** When robot {@code id} last reached {@code state} (nanoTime), or null. */
    Long reached(final String id, final StreamState state) {
        final Map<StreamState, Long> states = reached.get(id);
        return states == null ? null : states.get(state);
    }

    /** How many robots are online as their retained availability says. */
    int online() {
        return online.size();
    }

    /** Forgets the online robots (before a broker restart, whose retained messages go with it). */
    void forgetOnline() {
        online.clear();
    }

    /** Publishes {@code command} to robot {@code id}'s command topic, as the bridge would, without waiting. */
    void send(final String id, final Command command) {
        client.publishWith().topic("robots/" + id + "/stream").qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(30)
                .payload(command.toPayload()).send();
    }

    @Override
    public void close() {
        client.disconnect();
    }
}
