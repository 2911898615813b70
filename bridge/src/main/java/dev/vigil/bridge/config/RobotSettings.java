package dev.vigil.bridge.config;

import java.util.Optional;

/**
 * One robot the bridge serves.
 *
 * @param id                  robot id
 * @param baseTopic           MQTT base topic
 * @param relayPath           the relay path it publishes to, such as {@code live/stream}
 * @param publishUser         user name of its plain relay credentials, or {@code null}
 * @param publishPasswordHash hash of its plain relay password, or {@code null}
 * @param publishSecret       HMAC key of its publish tokens, or {@code null}; never logged
 * @param publishKey          Ed25519 public key ({@code ed25519-pub:...}) of its signed publish tokens, or {@code null}
 * @param relay               the name of the relay it publishes to
 */
public record RobotSettings(String id, String baseTopic, String relayPath, String publishUser,
                            String publishPasswordHash, String publishSecret, String publishKey, String relay) {

    /** A robot with no publish credentials on {@code relay} (tests, and the start of {@code robot add}). */
    public static RobotSettings of(final String id, final String baseTopic, final String relayPath, final String relay) {
        return new RobotSettings(id, baseTopic, relayPath, null, null, null, null, relay);
    }

    /** The plain publish user, when configured. */
    public Optional<String> publishUserName() {
        return Optional.ofNullable(publishUser);
    }

    @Override
    public String toString() {
        return "RobotSettings[id=" + id + ", baseTopic=" + baseTopic + ", relayPath=" + relayPath + ", relay=" + relay + "]";
    }
}
