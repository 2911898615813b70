package dev.vigil.bridge.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5SubscribeBuilder;
import dev.vigil.bridge.config.MqttSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.observe.BridgeMetrics;
import dev.vigil.common.mqtt.MqttClients;
import dev.vigil.common.mqtt.ReconnectWait;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.Topics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's one persistent MQTT 5 connection: it reconnects by itself (within
 * {@code reconnect-max-delay} of the broker's return), re-subscribes to every robot's retained
 * state and availability on each connect, and publishes commands at QoS 1 with a message expiry.
 * A command that comes while the connection is down waits up to the publish timeout for it to
 * come back (the shared {@link ReconnectWait}), then up to the publish timeout again for the broker's PUBACK.
 */
public final class MqttLink implements CommandSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    /** Subscriptions sent in one SUBSCRIBE packet; a fleet of thousands needs a few. */
    private static final int SUBSCRIPTIONS_PER_PACKET = 500;

    private final MqttSettings settings;
    private final RobotRegistry registry;
    private final BridgeMetrics metrics;
    private final Mqtt5AsyncClient client;
    private final long expirySeconds;
    private final long timeoutMillis;
    private final ReconnectWait reconnect = new ReconnectWait(this::connected);

    /** Builds the client; nothing connects until {@link #start()}. */
    public MqttLink(final MqttSettings settings, final RobotRegistry registry, final BridgeMetrics metrics) {
        this.settings = settings;
        this.registry = registry;
        this.metrics = metrics;
        this.expirySeconds = Math.max(1, settings.commandExpiry().toSeconds());
        this.timeoutMillis = settings.publishTimeout().toMillis();
        // The shared builder: TLS as configured, credentials on the client, reconnect with backoff,
        // and one log line per kind of connection failure.
        this.client = MqttClients.builder(settings.connection(), UnaryOperator.identity())
                .addConnectedListener(context -> onConnected())
                // After onConnected: a command that waited for this reconnect goes out after the subscriptions.
                .addConnectedListener(reconnect)
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED,
                publish -> registry.accept(publish.getTopic().toString(), publish.getPayloadAsBytes()));
    }

    /** Starts connecting; returns at once. The client keeps retrying while the broker is away. */
    public void start() {
        LOG.info("Connecting to MQTT broker {}", settings.connection());
        client.connectWith().cleanStart(true).send().whenComplete((ack, error) -> {
            if (error != null) {
                LOG.debug("First connection attempt to the MQTT broker failed; retrying in the background");
            }
        });
    }

    private void onConnected() {
        final java.util.List<String> topics = registry.topics();
        subscribe(topics, () -> LOG.info("Subscribed to the state, availability, hold and picture of {} robot(s)", topics.size() / 4));
    }

    /** Subscribes to the topics of robots that joined the fleet and leaves those of robots that left it. */
    public void follow(final RobotRegistry.TopicChange change) {
        if (change.isEmpty() || !connected()) {
            return; // the next connect subscribes to every robot the registry follows then
        }
        subscribe(change.added(), () -> LOG.info("Subscribed to {} more robot topic(s)", change.added().size()));
        for (int from = 0; from < change.removed().size(); from += SUBSCRIPTIONS_PER_PACKET) {
            final java.util.List<String> batch = change.removed().subList(from,
                    Math.min(change.removed().size(), from + SUBSCRIPTIONS_PER_PACKET));
            client.unsubscribeWith().addTopicFilters(batch.stream()
                            .map(com.hivemq.client.mqtt.datatypes.MqttTopicFilter::of).toList())
                    .send().whenComplete((ack, error) -> {
                        if (error != null) {
                            LOG.warn("Leaving the topics of removed robots failed: {}", oneLine(error));
                        }
                    });
        }
    }

    private void subscribe(final java.util.List<String> topics, final Runnable done) {
        if (topics.isEmpty()) {
            return;
        }
        final java.util.List<CompletableFuture<?>> acks = new java.util.ArrayList<>();
        for (int from = 0; from < topics.size(); from += SUBSCRIPTIONS_PER_PACKET) {
            Mqtt5SubscribeBuilder.Complete subscribe = null;
            for (final String topic : topics.subList(from, Math.min(topics.size(), from + SUBSCRIPTIONS_PER_PACKET))) {
                subscribe = (subscribe == null ? Mqtt5Subscribe.builder() : subscribe)
                        .addSubscription().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).applySubscription();
            }
            acks.add(client.subscribe(subscribe.build()));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).whenComplete((ack, error) -> {
            if (error != null) {
                LOG.warn("Subscribing to robot state failed: {}", oneLine(error));
            } else {
                done.run();
            }
        });
    }

    @Override
    public boolean connected() {
        return client.getState().isConnected();
    }

    @Override
    public void send(final RobotSettings robot, final Command command)
            throws BrokerUnavailableException, PublishFailedException {
        confirm(() -> publish(robot, command));
    }

    @Override
    public void publishHold(final RobotSettings robot, final ControlMessage control)
            throws BrokerUnavailableException, PublishFailedException {
        confirm(() -> client.publishWith()
                .topic(Topics.control(robot.baseTopic()))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .payload(control.toJson())
                .send());
    }

    /**
     * Publishes once connected (waiting up to the publish timeout for a reconnect; else nothing is
     * sent), and waits, bounded, for the broker to confirm.
     */
    private void confirm(final java.util.function.Supplier<CompletableFuture<Mqtt5PublishResult>> publish)
            throws BrokerUnavailableException, PublishFailedException {
        if (!reconnect.await(settings.publishTimeout())) {
            metrics.publishFailed();
            throw new BrokerUnavailableException("MQTT broker " + settings.broker() + ":" + settings.port()
                    + " is not connected (waited " + timeoutMillis + " ms for the reconnect)");
        }
        final CompletableFuture<Mqtt5PublishResult> result = publish.get();
        try {
            final Mqtt5PublishResult done = result.get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (done.getError().isPresent()) {
                throw new PublishFailedException(oneLine(done.getError().get()));
            }
            metrics.published();
        } catch (final TimeoutException e) {
            metrics.publishFailed();
            throw new PublishFailedException("the broker did not confirm within " + settings.publishTimeout().toMillis() + " ms");
        } catch (final ExecutionException e) {
            metrics.publishFailed();
            throw new PublishFailedException(oneLine(e.getCause()));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            metrics.publishFailed();
            throw new PublishFailedException("interrupted");
        } catch (final PublishFailedException e) {
            metrics.publishFailed();
            throw e;
        }
    }

    @Override
    public void sendLater(final RobotSettings robot, final Command command) {
        if (!connected()) {
            metrics.publishFailed();
            LOG.warn("Not sending {} to robot {}: the MQTT broker is not connected", command.kind().wire(), robot.id());
            return;
        }
        publish(robot, command).whenComplete((done, error) -> {
            if (error != null || done.getError().isPresent()) {
                metrics.publishFailed();
                LOG.warn("Sending {} to robot {} failed: {}", command.kind().wire(), robot.id(),
                        oneLine(error != null ? error : done.getError().get()));
            } else {
                metrics.published();
            }
        });
    }

    private CompletableFuture<Mqtt5PublishResult> publish(final RobotSettings robot, final Command command) {
        return client.publishWith()
                .topic(Topics.commands(robot.baseTopic()))
                .qos(MqttQos.AT_LEAST_ONCE)
                .messageExpiryInterval(expirySeconds)
                .payload(command.toPayload())
                .send();
    }

    /** Disconnects, waiting briefly. */
    @Override
    public void close() {
        try {
            client.disconnect().get(2, TimeUnit.SECONDS);
            LOG.info("Disconnected from the MQTT broker");
        } catch (final ExecutionException | TimeoutException e) {
            LOG.debug("MQTT disconnect: {}", oneLine(e));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A throwable as one line, its class and message; HiveMQ messages hold no passwords. */
    static String oneLine(final Throwable error) {
        if (error == null) {
            return "no cause given";
        }
        final Throwable root = error.getCause() != null && error.getMessage() == null ? error.getCause() : error;
        final String message = root.getMessage();
        return (message == null ? root.getClass().getSimpleName() : message).replace('\n', ' ');
    }
}
