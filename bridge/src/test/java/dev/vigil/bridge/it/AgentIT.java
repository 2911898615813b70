package dev.vigil.bridge.it;

import dev.vigil.bridge.TestConfigs;
import java.util.Map;

/** The agent publishes with the robot's plain relay user and password (the original script's way). */
class AgentIT extends AbstractAgentIT {

    @Override
    Map<String, String> publishCredentials() {
        return Map.of("MEDIA_PUBLISH_USER", TestConfigs.ROBOT_USER, "MEDIA_PUBLISH_PASS", TestConfigs.ROBOT_PASSWORD);
    }

    @Override
    String publishReason() {
        return "robot password";
    }
}
