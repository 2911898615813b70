package dev.vigil.bridge.mqtt;

import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.Desired;
import dev.vigil.protocol.Hold;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.time.Duration;
import java.time.Instant;

/**
 * What the retained messages, the relay and this bridge's own commands say about one robot.
 *
 * @param id             robot id
 * @param availability   {@code online}, {@code offline} or {@code unknown} before anything arrived
 * @param state          the last retained state, or {@code null}
 * @param stateReceived  when that state arrived here, or {@code null}
 * @param updated        when any of these last changed, or {@code null}
 * @param relayAvailable whether the relay has the robot's stream, as it last said (only relays
 *                       that report it, see {@code relay.reports-availability}), or {@code null}
 *                       while unknown: nothing said since this bridge started, and the robot still
 *                       publishing as far as we know
 * @param control        the operator's hold as retained on {@code B/control}, or {@code null} when
 *                       none was ever published
 * @param lastCommand    the last command this bridge sent the robot, or {@code null}
 */
public record RobotStatus(String id, String availability, StateMessage state, Instant stateReceived, Instant updated,
                          Boolean relayAvailable, ControlMessage control, SentCommand lastCommand) {

    /**
     * A command this bridge sent.
     *
     * @param kind start or stop
     * @param at   when
     */
    public record SentCommand(Command.Kind kind, Instant at) {
    }

    /** Nothing heard yet. */
    public static RobotStatus unknown(final String id) {
        return new RobotStatus(id, "unknown", null, null, null, null, null, null);
    }

    /** Whether the agent is connected. */
    public boolean online() {
        return "online".equals(availability);
    }

    /** Whether the agent reports a running stream. */
    public boolean streaming() {
        return state != null && state.state() == StreamState.STREAMING;
    }

    /**
     * The hold in force: the retained one on {@code B/control}, or, when none was ever published
     * (a broker that lost its retained messages), the one the robot reports keeping.
     */
    public Hold hold() {
        if (control != null) {
            return control.hold();
        }
        return state == null ? Hold.NONE : state.hold();
    }

    /**
     * Whether the robot is meant to stream at {@code now}: no hold, and the latest word on it says
     * so, either this bridge's start (valid for {@code commandExpiry}, as the agent would drop it
     * after that) or the agent's retained state ({@code desired: streaming}).
     */
    public boolean meantToStream(final Instant now, final Duration commandExpiry) {
        if (hold().holds()) {
            return false;
        }
        final boolean agentWants = state != null && state.desired() == Desired.STREAMING;
        if (lastCommand == null) {
            return agentWants;
        }
        final boolean agentNewer = stateReceived != null && stateReceived.isAfter(lastCommand.at());
        if (lastCommand.kind() == Command.Kind.START) {
            return now.isBefore(lastCommand.at().plus(commandExpiry)) || agentNewer && agentWants;
        }
        return agentNewer && agentWants;
    }

    RobotStatus withAvailability(final String newAvailability, final Boolean newRelay, final Instant at) {
        return new RobotStatus(id, newAvailability, state, stateReceived, at, newRelay, control, lastCommand);
    }

    RobotStatus withState(final StateMessage newState, final Boolean newRelay, final Instant at) {
        return new RobotStatus(id, availability, newState, at, at, newRelay, control, lastCommand);
    }

    RobotStatus withRelay(final Boolean newRelay, final Instant at) {
        return new RobotStatus(id, availability, state, stateReceived, at, newRelay, control, lastCommand);
    }

    RobotStatus withControl(final ControlMessage newControl, final Instant at) {
        return new RobotStatus(id, availability, state, stateReceived, at, relayAvailable, newControl, lastCommand);
    }

    RobotStatus withCommand(final SentCommand command) {
        return new RobotStatus(id, availability, state, stateReceived, updated, relayAvailable, control, command);
    }
}
