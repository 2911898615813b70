package dev.vigil.bridge.relay;

import java.time.Duration;

/**
 * The answer to a relay.
 *
 * @param allowed whether the relay may go on
 * @param robotId the robot whose path it is, or {@code null}
 * @param reason  a one-line reason for the log, without secrets
 * @param delay   how long to hold a refusal back (the address's penalty for repeated failures)
 */
public record RelayDecision(boolean allowed, String robotId, String reason, Duration delay) {

    static RelayDecision allow(final String robotId, final String reason) {
        return new RelayDecision(true, robotId, reason, Duration.ZERO);
    }

    static RelayDecision deny(final String robotId, final String reason) {
        return new RelayDecision(false, robotId, reason, Duration.ZERO);
    }

    static RelayDecision deny(final String robotId, final String reason, final Duration delay) {
        return new RelayDecision(false, robotId, reason, delay);
    }
}
