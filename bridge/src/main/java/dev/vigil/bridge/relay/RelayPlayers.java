package dev.vigil.bridge.relay;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.view.Lease;
import dev.vigil.bridge.view.TooManyViewsException;
import dev.vigil.bridge.view.ViewLeases;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Viewer-driven on-demand: each player that the relay lets read a robot's path holds a view lease
 * (so the robot starts) until the relay reports that it left (so the robot stops after the linger).
 */
public final class RelayPlayers {

    private static final Logger LOG = LoggerFactory.getLogger(RelayPlayers.class);

    private final ViewLeases leases;
    private final Duration playerMax;
    private final Map<String, Lease> players = new ConcurrentHashMap<>();

    /** Creates the table; a player's lease lasts at most {@code playerMax}. */
    public RelayPlayers(final ViewLeases leases, final Duration playerMax) {
        this.leases = leases;
        this.playerMax = playerMax;
    }

    /** A player {@code key} started reading {@code robot}'s path. */
    public void joined(final String key, final RobotSettings robot) {
        try {
            final Lease lease = leases.open(robot, playerMax);
            final Lease previous = players.put(key, lease);
            if (previous != null) {
                leases.release(previous.robotId(), previous.id());
            }
            LOG.info("Relay player {} reads robot {}", key, robot.id());
        } catch (final TooManyViewsException e) {
            LOG.warn("Relay player {} not counted: {}", key, e.getMessage());
        }
    }

    /** Player {@code key} left; false if it was not known. */
    public boolean left(final String key) {
        final Lease lease = players.remove(key);
        if (lease == null) {
            return false;
        }
        LOG.info("Relay player {} left robot {}", key, lease.robotId());
        return leases.release(lease.robotId(), lease.id());
    }
}
