package dev.vigil.bridge.fleet;

import dev.vigil.bridge.config.AuthSettings;
import dev.vigil.bridge.config.RobotSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the bridge serves at one moment: the robots, users and tokens of {@code bridge.conf} and of
 * the registry together. Immutable; the {@link Fleet} swaps in a new one when the registry changes.
 *
 * @param version the registry's change counter it was read at
 * @param robots  every robot by id: the configured ones first, then the registry's by id
 * @param users   Basic-auth users by name
 * @param tokens  bearer tokens by name
 */
public record FleetSnapshot(long version, Map<String, RobotSettings> robots, Map<String, AuthSettings.Credential> users,
                            Map<String, AuthSettings.Credential> tokens) {

    /** Copies the maps, keeping their order. */
    public FleetSnapshot {
        robots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(robots));
        users = Map.copyOf(users);
        tokens = Map.copyOf(tokens);
    }

    /** The robot {@code id}. */
    public Optional<RobotSettings> robot(final String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(robots.get(id));
    }

    /** Every robot, configured ones first. */
    public List<RobotSettings> all() {
        return List.copyOf(robots.values());
    }
}
