package dev.vigil.bridge.mqtt;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;
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

/**
 * A cache of every configured robot's retained state, availability, operator's hold and picture, fed
 * by the MQTT link, plus what the relay said of its stream and the last command this bridge sent it.
 */
public final class RobotRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RobotRegistry.class);

    private final Map<String, RobotStatus> statuses = new ConcurrentHashMap<>();
    private volatile Map<String, String> stateTopics = Map.of();
    private volatile Map<String, String> availabilityTopics = Map.of();
    private volatile Map<String, String> controlTopics = Map.of();
    private volatile Map<String, String> relayPaths = Map.of();
    private volatile Map<String, String> snapshotTopics = Map.of();
    private final RobotSnapshots snapshots = new RobotSnapshots();
    private final List<Consumer<RobotStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    /** Creates the registry for {@code robots}, all unknown. */
    public RobotRegistry(final Collection<RobotSettings> robots, final Clock clock) {
        this.clock = clock;
        track(robots);
    }

    /**
     * Follows exactly {@code robots} from now on: new ones start unknown, the status of those that
     * went is forgotten. Returns the topics to subscribe to and to leave.
     */
    public synchronized TopicChange track(final Collection<RobotSettings> robots) {
        final Map<String, String> states = new HashMap<>();
        final Map<String, String> availabilities = new HashMap<>();
        final Map<String, String> controls = new HashMap<>();
        final Map<String, String> paths = new HashMap<>();
        final Map<String, String> pictures = new HashMap<>();
        for (final RobotSettings robot : robots) {
            statuses.putIfAbsent(robot.id(), RobotStatus.unknown(robot.id()));
            states.put(Topics.state(robot.baseTopic()), robot.id());
            availabilities.put(Topics.availability(robot.baseTopic()), robot.id());
            controls.put(Topics.control(robot.baseTopic()), robot.id());
            paths.put(robot.relayPath(), robot.id());
            pictures.put(Topics.snapshot(robot.baseTopic()), robot.id());
        }
        final java.util.Set<String> ids = new java.util.HashSet<>(paths.values());
        statuses.keySet().retainAll(ids);
        snapshots.retain(ids);
        final java.util.Set<String> before = new java.util.HashSet<>(topics());
        final java.util.Set<String> after = new java.util.HashSet<>(states.keySet());
        after.addAll(availabilities.keySet());
        after.addAll(controls.keySet());
        after.addAll(pictures.keySet());
        stateTopics = Map.copyOf(states);
        availabilityTopics = Map.copyOf(availabilities);
        controlTopics = Map.copyOf(controls);
        relayPaths = Map.copyOf(paths);
        snapshotTopics = Map.copyOf(pictures);
        final List<String> added = after.stream().filter(t -> !before.contains(t)).sorted().toList();
        final List<String> removed = before.stream().filter(t -> !after.contains(t)).sorted().toList();
        return new TopicChange(added, removed);
    }

    /**
     * Topics that {@link #track(Collection)} started or stopped following.
     *
     * @param added   to subscribe to
     * @param removed to unsubscribe from
     */
    public record TopicChange(List<String> added, List<String> removed) {
        /** Whether nothing changed. */
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty();
        }
    }

    /** The topics to subscribe to. */
    public List<String> topics() {
        final List<String> topics = new java.util.ArrayList<>(stateTopics.keySet());
        topics.addAll(availabilityTopics.keySet());
        topics.addAll(controlTopics.keySet());
        topics.addAll(snapshotTopics.keySet());
        return topics;
    }

    /** The status of robot {@code id}; unknown until something arrived, also for a robot just added. */
    public RobotStatus status(final String id) {
        final RobotStatus status = statuses.get(id);
        return status == null ? RobotStatus.unknown(id) : status;
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
            touch(snapshotOf);
            return;
        }
        final String availabilityOf = availabilityTopics.get(topic);
        if (availabilityOf != null) {
            final String text = new String(payload, StandardCharsets.UTF_8).strip();
            final String availability = Topics.ONLINE.equals(text) ? Topics.ONLINE
                    : Topics.OFFLINE.equals(text) || text.isEmpty() ? Topics.OFFLINE : "unknown";
            // An agent that went away no longer publishes, whatever the relay said last.
            update(statuses.get(availabilityOf), s -> s.withAvailability(availability,
                    Topics.ONLINE.equals(availability) ? s.relayAvailable() : Boolean.FALSE, clock.instant()));
            return;
        }
        final String controlOf = controlTopics.get(topic);
        if (controlOf != null) {
            try {
                acceptControl(controlOf, ControlMessage.decode(payload, clock.instant()));
            } catch (final InvalidMessageException e) {
                LOG.warn("Ignoring the hold of robot {}: {}", controlOf, e.getMessage());
            }
        }
    }

    /** Takes the operator's hold of robot {@code id}: retained on the broker, or just published by this bridge. */
    public void acceptControl(final String id, final ControlMessage control) {
        final RobotStatus old = statuses.get(id);
        if (old != null && !java.util.Objects.equals(old.control(), control)) {
            update(old, s -> s.withControl(control, clock.instant()));
        }
    }

    /** Notes that this bridge sent {@code kind} to robot {@code id} just now. */
    public void commandSent(final String id, final Command.Kind kind) {
        statuses.computeIfPresent(id, (k, s) -> s.withCommand(new RobotStatus.SentCommand(kind, clock.instant())));
    }

    /** Tells every listener about robot {@code id} again (something they show changed, such as its views). */
    public void touch(final String id) {
        final RobotStatus status = statuses.get(id);
        if (status != null) {
            notifyListeners(status);
        }
    }

    /**
     * Takes what the relay says of {@code path}: it has a stream ({@code available}) or no longer.
     * Returns the robot's id, or {@code null} when no robot publishes to that path.
     */
    public String acceptRelayAvailability(final String path, final boolean available) {
        final String id = relayPaths.get(path);
        if (id != null) {
            update(statuses.get(id), s -> s.withRelay(Boolean.valueOf(available), clock.instant()));
        }
        return id;
    }

    private void acceptState(final String id, final byte[] payload) {
        if (payload.length == 0) {
            update(statuses.get(id), s -> s.withState(null, s.relayAvailable(), clock.instant()));
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
        update(statuses.get(id), s -> s.withState(state, stillPublishing ? s.relayAvailable() : Boolean.FALSE,
                clock.instant()));
    }

    private void update(final RobotStatus old, final java.util.function.UnaryOperator<RobotStatus> change) {
        if (old == null) {
            return; // the robot left the fleet while its message was on the way
        }
        final RobotStatus updated = statuses.computeIfPresent(old.id(), (k, s) -> change.apply(s));
        if (updated == null) {
            return;
        }
        if (!java.util.Objects.equals(old.availability(), updated.availability())
                || !java.util.Objects.equals(old.state(), updated.state())
                || !java.util.Objects.equals(old.relayAvailable(), updated.relayAvailable())
                || old.hold() != updated.hold()) {
            LOG.info("Robot {} is {} and {}{}{}", updated.id(), updated.availability(),
                    updated.state() == null ? "has no state" : updated.state().state().wire(),
                    Boolean.TRUE.equals(updated.relayAvailable()) ? "; the relay has its stream" : "",
                    updated.hold().holds() ? "; held (" + updated.hold().wire() + ")" : "");
        }
        notifyListeners(updated);
    }

    private void notifyListeners(final RobotStatus updated) {
        for (final Consumer<RobotStatus> listener : listeners) {
            try {
                listener.accept(updated);
            } catch (final RuntimeException e) {
                LOG.warn("A robot listener failed: {}", e.toString());
            }
        }
    }
}
