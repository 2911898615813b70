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
 */
public record RobotSettings(String id, String baseTopic, String relayPath, String publishUser,
                            String publishPasswordHash, String publishSecret) {

    /** The plain publish user, when configured. */
    public Optional<String> publishUserName() {
        return Optional.ofNullable(publishUser);
    }

    @Override
    public String toString() {
        return "RobotSettings[id=" + id + ", baseTopic=" + baseTopic + ", relayPath=" + relayPath + "]";
    }
}
