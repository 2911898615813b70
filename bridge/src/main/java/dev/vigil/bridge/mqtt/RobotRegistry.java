package dev.vigil.bridge.mqtt;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.protocol.InvalidMessageException;
import dev.vigil.protocol.StateCodec;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import dev.vigil.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A cache of every configured robot's retained state, availability and picture, fed by the MQTT link. */
public final class RobotRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RobotRegistry.class);

    private final Map<String, RobotStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> stateTopics = new HashMap<>();
    private final Map<String, String> availabilityTopics = new HashMap<>();
    private final Map<String, String> relayPaths = new HashMap<>();
    private final Map<String, String> snapshotTopics = new HashMap<>();
    private final RobotSnapshots snapshots = new RobotSnapshots();
    private final List<Consumer<RobotStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    /** Creates the registry for {@code robots}, all unknown. */
    public RobotRegistry(final Collection<RobotSettings> robots, final Clock clock) {
        this.clock = clock;
        for (final RobotSettings robot : robots) {
            statuses.put(robot.id(), RobotStatus.unknown(robot.id()));
            stateTopics.put(Topics.state(robot.baseTopic()), robot.id());
            availabilityTopics.put(Topics.availability(robot.baseTopic()), robot.id());
            relayPaths.put(robot.relayPath(), robot.id());
            snapshotTopics.put(Topics.snapshot(robot.baseTopic()), robot.id());
        }
    }

    /** The topics to subscribe to. */
    public List<String> topics() {
        final List<String> topics = new java.util.ArrayList<>(stateTopics.keySet());
        topics.addAll(availabilityTopics.keySet());
        topics.addAll(snapshotTopics.keySet());
        return topics;
    }

    /** The status of robot {@code id}; unknown robots are not in the registry. */
    public RobotStatus status(final String id) {
        return statuses.get(id);
    }

    /** Every robot's latest picture. */
    public RobotSnapshots snapshots() {
        return snapshots;
    }

    /** Every robot's status. */
    public Collection<RobotStatus> all() {
        return statuses.values();
    }

    /** Calls {@code listener} on every change until removed. */
    public void addListener(final Consumer<RobotStatus> listener) {
        listeners.add(listener);
    }

    /** Stops calling {@code listener}. */
    public void removeListener(final Consumer<RobotStatus> listener) {
        listeners.remove(listener);
    }

    /** Takes one message that arrived on {@code topic}. */
    public void accept(final String topic, final byte[] payload) {
        final String stateOf = stateTopics.get(topic);
        if (stateOf != null) {
            acceptState(stateOf, payload);
            return;
        }
        final String snapshotOf = snapshotTopics.get(topic);
        if (snapshotOf != null) {
            snapshots.accept(snapshotOf, payload, clock.instant());
            return;
        }
        final String availabilityOf = availabilityTopics.get(topic);
        if (availabilityOf != null) {
            final String text = new String(payload, StandardCharsets.UTF_8).strip();
            final String availability = Topics.ONLINE.equals(text) ? Topics.ONLINE
                    : Topics.OFFLINE.equals(text) || text.isEmpty() ? Topics.OFFLINE : "unknown";
            // An agent that went away no longer publishes, whatever the relay said last.
            update(statuses.get(availabilityOf), s -> new RobotStatus(s.id(), availability, s.state(), clock.instant(),
                    Topics.ONLINE.equals(availability) ? s.relayAvailable() : Boolean.FALSE));
        }
    }

    /**
     * Takes what the relay says of {@code path}: it has a stream ({@code available}) or no longer.
     * Returns the robot's id, or {@code null} when no robot publishes to that path.
     */
    public String acceptRelayAvailability(final String path, final boolean available) {
        final String id = relayPaths.get(path);
        if (id != null) {
            update(statuses.get(id), s -> new RobotStatus(id, s.availability(), s.state(), clock.instant(),
                    Boolean.valueOf(available)));
        }
        return id;
    }

    private void acceptState(final String id, final byte[] payload) {
        if (payload.length == 0) {
            update(statuses.get(id), s -> new RobotStatus(id, s.availability(), null, clock.instant(), s.relayAvailable()));
            return;
        }
        final StateMessage state;
        try {
            state = StateCodec.decode(payload);
        } catch (final InvalidMessageException e) {
            LOG.warn("Ignoring the state of robot {}: {}", id, e.getMessage());
            return;
        }
        // A robot that stops or gave up no longer publishes, even if the relay's word of it is late.
        final boolean stillPublishing = state.state() == StreamState.STARTING || state.state() == StreamState.STREAMING;
        update(statuses.get(id), s -> new RobotStatus(id, s.availability(), state, clock.instant(),
                stillPublishing ? s.relayAvailable() : Boolean.FALSE));
    }

    private void update(final RobotStatus old, final java.util.function.UnaryOperator<RobotStatus> change) {
        final RobotStatus updated = statuses.compute(old.id(), (k, s) -> change.apply(s));
        if (!java.util.Objects.equals(old.availability(), updated.availability())
                || !java.util.Objects.equals(old.state(), updated.state())
                || !java.util.Objects.equals(old.relayAvailable(), updated.relayAvailable())) {
            LOG.info("Robot {} is {} and {}{}", updated.id(), updated.availability(),
                    updated.state() == null ? "has no state" : updated.state().state().wire(),
                    Boolean.TRUE.equals(updated.relayAvailable()) ? "; the relay has its stream" : "");
        }
        for (final Consumer<RobotStatus> listener : listeners) {
            try {
                listener.accept(updated);
            } catch (final RuntimeException e) {
                LOG.warn("A robot listener failed: {}", e.toString());
            }
        }
    }
}
