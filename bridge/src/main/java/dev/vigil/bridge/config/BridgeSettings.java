package dev.vigil.bridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the bridge is configured with, validated once at start-up.
 *
 * @param server         HTTP listener
 * @param mqtt           broker connection
 * @param defaultRobotId the robot of the original API
 * @param robots         robots by id, in configuration order
 * @param viewerUrls     URL templates by kind (rtsp, hls, webrtc, rtmp) of relays that name none
 * @param auth           HTTP auth
 * @param views          view leases
 * @param relayCallers   addresses allowed to call /relay/**
 * @param relayReportsAvailability whether the relay's hooks call /relay/available and
 *                       /relay/unavailable, so that a start's {@code ?wait} ends when the relay has the stream
 * @param heartbeat      SSE heartbeat interval
 * @param database       where the registry lives
 * @param relays         the relays by name
 * @param defaultRelay   the relay of robots that name none
 * @param relayApi       the relay's control API (an operator's stop disconnects readers through it)
 * @param recording      recording on request through the relay
 */
public record BridgeSettings(ServerSettings server, MqttSettings mqtt, String defaultRobotId,
                             Map<String, RobotSettings> robots, Map<String, String> viewerUrls,
                             AuthSettings auth, ViewSettings views, List<String> relayCallers,
                             boolean relayReportsAvailability, Duration heartbeat, RelayApiSettings relayApi,
                             DatabaseSettings database, Map<String, RelaySettings> relays, String defaultRelay,
                             RecordingSettings recording) {

    /** The robot with {@code id}, if configured. */
    public Optional<RobotSettings> robot(final String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(robots.get(id));
    }

    /** The robot of the original API. */
    public RobotSettings defaultRobot() {
        return robots.get(defaultRobotId);
    }

    /** The robot that publishes to {@code relayPath}, if any. */
    public Optional<RobotSettings> robotByPath(final String relayPath) {
        return robots.values().stream().filter(r -> r.relayPath().equals(relayPath)).findFirst();
    }
}
