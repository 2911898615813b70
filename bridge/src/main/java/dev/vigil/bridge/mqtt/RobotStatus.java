package dev.vigil.bridge.mqtt;

import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.time.Instant;

/**
 * What the retained messages say about one robot.
 *
 * @param id           robot id
 * @param availability {@code online}, {@code offline} or {@code unknown} before anything arrived
 * @param state        the last retained state, or {@code null}
 * @param updated      when any of these last changed, or {@code null}
 * @param relayAvailable whether the relay last said that the robot's path has a stream (only
 *                     relays that report it, see {@code relay.reports-availability})
 */
public record RobotStatus(String id, String availability, StateMessage state, Instant updated, boolean relayAvailable) {

    /** Nothing heard yet. */
    public static RobotStatus unknown(final String id) {
        return new RobotStatus(id, "unknown", null, null, false);
    }

    /** Whether the agent is connected. */
    public boolean online() {
        return "online".equals(availability);
    }

    /** Whether the agent reports a running stream. */
    public boolean streaming() {
        return state != null && state.state() == StreamState.STREAMING;
    }
}
