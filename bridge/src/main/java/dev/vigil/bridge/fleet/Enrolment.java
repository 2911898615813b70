package dev.vigil.bridge.fleet;

import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RelayPaths;
import dev.vigil.bridge.config.RelaySettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.store.ConflictException;
import dev.vigil.bridge.store.RobotStore;
import dev.vigil.protocol.PublishKeys;
import dev.vigil.protocol.RobotIds;
import dev.vigil.protocol.Topics;
import java.util.Optional;

/**
 * Adds robots to the registry and renews their publish keys, for the CLI and the registry API
 * alike. Each robot gets a new Ed25519 key pair: the registry stores the public key, the caller
 * gets the private key once, inside the agent settings to give the robot.
 */
public final class Enrolment {

    private final BridgeSettings settings;
    private final RobotStore store;

    /** Creates it. */
    public Enrolment(final BridgeSettings settings, final RobotStore store) {
        this.settings = settings;
        this.store = store;
    }

    /**
     * What to add; {@code null} fields take their defaults.
     *
     * @param id        robot id
     * @param baseTopic MQTT base topic, default {@code robots/<id>/stream}
     * @param relay     relay name, default {@code default-relay}
     * @param relayPath relay path, default {@code live/<id>}
     */
    public record Request(String id, String baseTopic, String relay, String relayPath) {
    }

    /**
     * A robot and its new secret.
     *
     * @param robot       what the registry now holds
     * @param privateKey  the robot's private publish key; never logged, shown once
     * @param agentConfig the agent settings with that key, to give the robot
     */
    public record Issued(RobotSettings robot, String privateKey, String agentConfig) {
        @Override
        public String toString() {
            return "Issued[robot=" + robot + "]";
        }
    }

    /** Adds a robot; {@link IllegalArgumentException} for bad input, {@link ConflictException} for a clash. */
    public Issued add(final Request request) throws ConflictException {
        if (!RobotIds.isValid(request.id())) {
            throw new IllegalArgumentException("a robot id is 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        final String topic = request.baseTopic() == null ? Topics.fleetBase(request.id()) : request.baseTopic();
        final String topicProblem = Topics.problemWithBase(topic);
        if (topicProblem != null) {
            throw new IllegalArgumentException("topic: " + topicProblem);
        }
        final String path = request.relayPath() == null ? "live/" + request.id() : request.relayPath();
        if (!RelayPaths.isValid(path)) {
            throw new IllegalArgumentException("a relay path is levels of letters, digits, '_' or '-' separated by '/'");
        }
        final String relay = request.relay() == null ? settings.defaultRelay() : request.relay();
        final PublishKeys.Pair keys = PublishKeys.generate();
        final RobotSettings robot = new RobotSettings(request.id(), topic, path, null, null, null, keys.publicKey(), relay);
        final String problem = Fleet.problemWithNew(settings, robot);
        if (problem != null) {
            if (problem.startsWith("relay ")) {
                throw new IllegalArgumentException(problem);
            }
            throw new ConflictException(problem);
        }
        store.add(robot);
        return issued(robot, keys);
    }

    /** Gives robot {@code id} a new key pair; the old key stops working at once. Empty when the registry has no such robot. */
    public Optional<Issued> rotate(final String id) {
        final Optional<RobotSettings> robot = store.find(id);
        if (robot.isEmpty()) {
            return Optional.empty();
        }
        final PublishKeys.Pair keys = PublishKeys.generate();
        if (!store.replaceCredentials(id, keys.publicKey(), null)) {
            return Optional.empty();
        }
        final RobotSettings r = robot.get();
        return Optional.of(issued(new RobotSettings(r.id(), r.baseTopic(), r.relayPath(), r.publishUser(),
                r.publishPasswordHash(), null, keys.publicKey(), r.relay()), keys));
    }

    private Issued issued(final RobotSettings robot, final PublishKeys.Pair keys) {
        final RelaySettings relay = settings.relays().get(robot.relay());
        final String snippet = relay == null ? "" : AgentSnippet.of(robot, relay, keys.privateKey());
        return new Issued(robot, keys.privateKey(), snippet);
    }
}
