package dev.vigil.bridge.relay;

/**
 * The answer to a relay.
 *
 * @param allowed whether the relay may go on
 * @param robotId the robot whose path it is, or {@code null}
 * @param reason  a one-line reason for the log, without secrets
 */
public record RelayDecision(boolean allowed, String robotId, String reason) {

    static RelayDecision allow(final String robotId, final String reason) {
        return new RelayDecision(true, robotId, reason);
    }

    static RelayDecision deny(final String robotId, final String reason) {
        return new RelayDecision(false, robotId, reason);
    }
}
