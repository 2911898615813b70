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
 * @param updated      when either last changed, or {@code null}
 */
public record RobotStatus(String id, String availability, StateMessage state, Instant updated) {

    /** Nothing heard yet. */
    public static RobotStatus unknown(final String id) {
        return new RobotStatus(id, "unknown", null, null);
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
