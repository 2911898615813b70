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
 * @param relayAvailable whether the relay has the robot's stream, as it last said (only relays
 *                     that report it, see {@code relay.reports-availability}), or {@code null}
 *                     while unknown: nothing said since this bridge started, and the robot still
 *                     publishing as far as we know
 */
public record RobotStatus(String id, String availability, StateMessage state, Instant updated, Boolean relayAvailable) {

    /** Nothing heard yet. */
    public static RobotStatus unknown(final String id) {
        return new RobotStatus(id, "unknown", null, null, null);
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
