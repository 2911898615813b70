package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.MqttProbe;
import dev.vigil.testkit.StreamReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

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

    /**
     * The broker is away for two seconds (as in the report that a start then got 503); the moment the
     * agent is back on it (its retained {@code online} is there again), the original
     * {@code POST /stream/start} answers 200, because the bridge retries within a second and a command
     * waits for the reconnect instead of failing, and the stream plays.
     */
    @Test
    void brokerRestart_startAsSoonAsAgentIsBack_gives200AndFrames() throws Exception {
        broker.stop();
        // The outage: two seconds in which the bridge knows it has no broker.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                bridge.send("GET", "/observe/health", null, null).statusCode() == 503);
        broker.restart();
        final MqttProbe probe = await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(
                () -> MqttProbe.connect(broker.host(), broker.port(), MQTT_USER, MQTT_PASSWORD), Objects::nonNull);
        try (probe) {
            probe.subscribe("robot/stream/availability");
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(10)).until(() ->
                    probe.latest("robot/stream/availability").filter("online"::equals).isPresent());
        }
        final HttpResponse<String> started = bridge.send("POST", "/stream/start", operator(), null);
        assertEquals(200, started.statusCode(), started.body());
        assertEquals("{\"msg\":\"Published start\"}", started.body());
        // The player comes once the relay has the stream (a player on an empty path would start the
        // on-demand hook, whose view would hold the robot past this test).
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> relay.ready(PATH));
        try (StreamReader reader = StreamReader.openRtspTcp(playerUrl())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.frames() > 10);
        }
    }
}
