package dev.vigil.bridge.it;

import dev.vigil.bridge.TestConfigs;
import java.util.Map;

/** The agent publishes with short-lived publish tokens made from the robot's secret. */
class AgentTokenIT extends AbstractAgentIT {

    @Override
    Map<String, String> publishCredentials() {
        return Map.of("MEDIA_TOKEN_AUTH", "true", "MEDIA_PUBLISH_PASS", TestConfigs.ROBOT_SECRET);
    }

    @Override
    String publishReason() {
        return "publish token";
    }
}
