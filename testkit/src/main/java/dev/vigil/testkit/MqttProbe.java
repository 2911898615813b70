package dev.vigil.testkit;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real MQTT 5 client for tests: publishes QoS 1 and collects what it receives. */
public final class MqttProbe implements AutoCloseable {

    /** A message the probe received. */
    public record Message(String topic, byte[] payload, boolean retained) {

        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Mqtt5BlockingClient client;
    private final List<Message> received = new CopyOnWriteArrayList<>();

    private MqttProbe(final Mqtt5BlockingClient client) {
        this.client = client;
    }

    /** Connects with a clean session as a fresh client id. */
    public static MqttProbe connect(final String host, final int port, final String user, final String password) {
        final Mqtt5Client async = MqttClient.builder().useMqttVersion5()
                .identifier("probe-" + UUID.randomUUID())
                .serverHost(host).serverPort(port)
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .build();
        final MqttProbe probe = new MqttProbe(async.toBlocking());
        async.toAsync().publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, publish ->
                probe.received.add(new Message(publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.isRetain())));
        probe.client.connect();
        return probe;
    }

    /** Publishes {@code payload} as UTF-8, QoS 1, not retained. */
    public void publish(final String topic, final String payload) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Publishes raw bytes, QoS 1. */
    public void publish(final String topic, final byte[] payload, final boolean retain) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send();
    }

    /** Subscribes QoS 1; messages land in {@link #messages(String)}. */
    public void subscribe(final String filter) {
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
    }

    /** Messages received on {@code topic}, oldest first. */
    public List<Message> messages(final String topic) {
        return received.stream().filter(m -> m.topic().equals(topic)).toList();
    }

    /** The text of the newest message on {@code topic}. */
    public Optional<String> latest(final String topic) {
        final List<Message> all = messages(topic);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).text());
    }

    /** Forgets what was received. */
    public void clear() {
        received.clear();
    }

    @Override
    public void close() {
        if (client.getState().isConnected()) {
            client.disconnect();
        }
    }
}
