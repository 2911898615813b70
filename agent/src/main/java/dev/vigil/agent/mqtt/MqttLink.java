package dev.vigil.agent.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import dev.vigil.agent.config.MqttSettings;
import dev.vigil.agent.homeassistant.Discovery;
import dev.vigil.agent.supervise.CameraPublisher;
import dev.vigil.common.log.RepeatedWarning;
import dev.vigil.common.mqtt.MqttClients;
import dev.vigil.common.mqtt.ReconnectWait;
import dev.vigil.common.mqtt.SingleThreadLoop;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.CommandParser;
import dev.vigil.protocol.EventMessage;
import dev.vigil.protocol.InvalidMessageException;
import dev.vigil.protocol.Snapshots;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one MQTT 5 connection (built by the shared {@link MqttClients}, served by the agent's
 * one loop): a persistent session (clean start false) with automatic reconnect, the Last Will
 * {@code offline} on {@code B/availability}, retained {@code online} and the latest state after
 * every (re)connect, commands from {@code B} handed on, parsed, and the retained operator's hold
 * from {@code B/control} handed on as it is (subscribed first, so that it arrives before any
 * command on a new session). Refused commands are logged once and then summarised ({@link RepeatedWarning}).
 * It also publishes the camera's events ({@code B/event}) and pictures ({@code B/snapshot}, retained),
 * and, when asked, Home Assistant's discovery payload after every (re)connect and whenever Home
 * Assistant announces itself ({@code online} on its status topic).
 * At shutdown during a broker outage it waits, bounded, for the reconnect ({@link ReconnectWait}) to say goodbye.
 */
public final class MqttLink implements CameraPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    private final MqttSettings settings;
    private final Consumer<Command> commands;
    private final Consumer<String> invalidCommands;
    private final Consumer<byte[]> control;
    private final UnaryOperator<String> masker;
    private final RepeatedWarning refused;
    private final Mqtt5AsyncClient client;
    private final ReconnectWait reconnect = new ReconnectWait(this::isConnected);
    /** Whether this run has been connected: only then may the broker hold its "online". */
    private volatile boolean everConnected;
    private final AtomicReference<StateMessage> latest = new AtomicReference<>();
    private final String commandTopic;
    private final String stateTopic;
    private final String availabilityTopic;
    private final String controlTopic;
    private final String eventTopic;
    private final String snapshotTopic;
    private volatile Discovery discovery;

    /**
     * @param commands        receives every valid command, on the loop (must not block)
     * @param invalidCommands receives the one-line reason of every refused payload
     * @param control         receives each payload of {@code B/control} (the retained hold), on the loop
     * @param masker          masks secrets in anything logged
     */
    public MqttLink(final MqttSettings settings, final SingleThreadLoop loop, final Duration warningSummaryEvery,
                    final Consumer<Command> commands, final Consumer<String> invalidCommands, final Consumer<byte[]> control,
                    final UnaryOperator<String> masker) {
        this.settings = settings;
        this.commands = commands;
        this.invalidCommands = invalidCommands;
        this.control = control;
        this.masker = masker;
        this.refused = new RepeatedWarning(LOG, warningSummaryEvery, loop.executor());
        this.commandTopic = Topics.commands(settings.topic());
        this.stateTopic = Topics.state(settings.topic());
        this.availabilityTopic = Topics.availability(settings.topic());
        this.controlTopic = Topics.control(settings.topic());
        this.eventTopic = Topics.event(settings.topic());
        this.snapshotTopic = Topics.snapshot(settings.topic());
        this.client = loop.serve(MqttClients.builder(settings.broker(), masker))
                .addConnectedListener(this::onConnected)
                // After onConnected: a goodbye that waited for this reconnect goes out after its "online".
                .addConnectedListener(reconnect)
                .willPublish()
                .topic(availabilityTopic)
                .payload(Topics.OFFLINE.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .applyWillPublish()
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, this::onPublish);
    }

    /** Connects (and keeps reconnecting in the background until {@link #close(Duration)}). */
    public void connect() {
        LOG.info("connecting to MQTT {}", settings);
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(settings.sessionExpiry().toSeconds())
                .keepAlive((int) settings.keepAlive().toSeconds())
                .send().whenComplete((ack, error) -> {
            if (error != null) {
                LOG.debug("first connection attempt failed; reconnecting in the background");
            }
        });
    }

    /** Publishes {@code state} retained now if connected; it is republished after every reconnect anyway. */
    public void publishState(final StateMessage state) {
        latest.set(state);
        if (client.getState().isConnected()) {
            publishRetained(stateTopic, state.toJson());
        }
    }

    /** Publishes Home Assistant's discovery payload from now on (call before {@link #connect()}). */
    public void homeAssistant(final Discovery homeAssistant) {
        this.discovery = homeAssistant;
    }

    @Override
    public void event(final EventMessage event) {
        if (client.getState().isConnected()) {
            client.publishWith().topic(eventTopic).qos(MqttQos.AT_LEAST_ONCE).payload(event.toJson()).send()
                    .whenComplete((result, error) -> logFailure(eventTopic, error));
        } else {
            LOG.warn("{} event not published: MQTT is not connected", event.type().wire());
        }
    }

    @Override
    public void snapshot(final byte[] jpeg, final Instant taken, final String requestId) {
        if (!client.getState().isConnected()) {
            LOG.warn("snapshot not published: MQTT is not connected");
            return;
        }
        Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder().add(Snapshots.TAKEN_PROPERTY, taken.toString());
        if (requestId != null) {
            properties = properties.add(Snapshots.REQUEST_PROPERTY, requestId);
        }
        client.publishWith().topic(snapshotTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .contentType(Snapshots.CONTENT_TYPE).userProperties(properties.build()).payload(jpeg).send()
                .whenComplete((result, error) -> logFailure(snapshotTopic, error));
    }

    /** True while connected to the broker. */
    public boolean isConnected() {
        return client.getState().isConnected();
    }

    /**
     * Publishes the final state and {@code offline} (retained), then disconnects. While the broker is
     * away after this run has been connected (so it may hold this robot's "online"), it first waits up
     * to half of {@code timeout} for the reconnect, so that a broker back by then still learns that the
     * robot left (a restarted broker sends no Will for it); the publishing and the disconnect are each
     * bounded by {@code timeout}. A run that never connected ends at once.
     */
    public void close(final Duration timeout) {
        refused.flush();
        Duration reconnectBound = Duration.ZERO;
        if (!isConnected() && everConnected) {
            reconnectBound = timeout.dividedBy(2);
            LOG.info("MQTT is not connected: waiting up to {} ms for the reconnect to publish offline", reconnectBound.toMillis());
        }
        if (reconnect.await(reconnectBound)) {
            final StateMessage state = latest.get();
            final CompletableFuture<?> stateSent = state == null ? CompletableFuture.completedFuture(null)
                    : publishRetained(stateTopic, state.toJson());
            final CompletableFuture<?> offlineSent = publishRetained(availabilityTopic, Topics.OFFLINE.getBytes(StandardCharsets.UTF_8));
            await(CompletableFuture.allOf(stateSent, offlineSent), timeout, "publishing offline");
        }
        await(client.disconnect(), timeout, "disconnecting from MQTT");
    }

    private void onConnected(final MqttClientConnectedContext context) {
        everConnected = true;
        // The hold first: the broker sends its retained message before anything on the command topic.
        client.subscribeWith()
                .addSubscription().topicFilter(controlTopic).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(commandTopic).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .send().whenComplete((ack, error) -> {
                    if (error != null) {
                        LOG.warn("cannot subscribe to {}: {}", commandTopic, masker.apply(String.valueOf(error.getMessage())));
                    } else {
                        LOG.info("listening for commands on {} and the operator's hold on {}", commandTopic, controlTopic);
                    }
                });
        publishRetained(availabilityTopic, Topics.ONLINE.getBytes(StandardCharsets.UTF_8));
        final StateMessage state = latest.get();
        if (state != null) {
            publishRetained(stateTopic, state.toJson());
        }
        final Discovery homeAssistant = discovery;
        if (homeAssistant != null) {
            client.subscribeWith().topicFilter(homeAssistant.statusTopic()).qos(MqttQos.AT_LEAST_ONCE).send()
                    .whenComplete((ack, error) -> {
                        if (error != null) {
                            LOG.warn("cannot subscribe to {}: {}", homeAssistant.statusTopic(), masker.apply(String.valueOf(error.getMessage())));
                        }
                    });
            publishDiscovery(homeAssistant);
        }
    }

    private void publishDiscovery(final Discovery homeAssistant) {
        client.publishWith().topic(homeAssistant.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(homeAssistant.payload()).send()
                .whenComplete((result, error) -> {
                    if (error != null) {
                        LOG.warn("Home Assistant discovery not published on {}: {}", homeAssistant.topic(),
                                masker.apply(String.valueOf(error.getMessage())));
                    } else if (result.getError().isPresent()) {
                        LOG.warn("Home Assistant discovery refused on {} (is the robot allowed to write it?)", homeAssistant.topic());
                    } else {
                        LOG.info("Home Assistant discovery published on {}", homeAssistant.topic());
                    }
                });
    }

    private void logFailure(final String topic, final Throwable error) {
        if (error != null) {
            LOG.warn("publish to {} failed: {}", topic, masker.apply(String.valueOf(error.getMessage())));
        }
    }

    private void onPublish(final Mqtt5Publish publish) {
        if (publish.getTopic().toString().equals(controlTopic)) {
            control.accept(publish.getPayloadAsBytes());
            return;
        }
        final Discovery homeAssistant = discovery;
        if (homeAssistant != null && publish.getTopic().toString().equals(homeAssistant.statusTopic())) {
            if (Topics.ONLINE.equals(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8).strip())) {
                LOG.info("Home Assistant is online: publishing discovery again");
                publishDiscovery(homeAssistant);
            }
            return;
        }
        if (!publish.getTopic().toString().equals(commandTopic)) {
            return;
        }
        final byte[] payload = publish.getPayloadAsBytes();
        try {
            final Command command = CommandParser.parse(payload);
            LOG.info("command received: {}{}{}{}", command.kind().wire(),
                    command.holder() == null ? "" : " for " + command.holder(),
                    command.lease() == null ? "" : " lease " + command.lease(),
                    command.requestId() == null ? "" : " request " + command.requestId());
            commands.accept(command);
        } catch (final InvalidMessageException e) {
            final String reason = masker.apply(e.getMessage());
            refused.warn("ignored command", "ignored a command on " + commandTopic + ": " + reason);
            invalidCommands.accept(reason);
        }
    }

    private CompletableFuture<?> publishRetained(final String topic, final byte[] payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(payload).send()
                .whenComplete((result, error) -> {
                    if (error != null) {
                        LOG.debug("publish to {} failed: {}", topic, masker.apply(String.valueOf(error.getMessage())));
                    }
                });
    }

    private static void await(final CompletableFuture<?> future, final Duration timeout, final String what) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final Exception e) {
            LOG.warn("{} did not complete: {}", what, e.getClass().getSimpleName());
        }
    }
}
