package dev.vigil.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.protocol.Snapshots;
import dev.vigil.protocol.StreamState;
import dev.vigil.testkit.MqttProbe;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Home Assistant's side, played by an MQTT client on a real Mosquitto against the real agent jar: the
 * device discovery payload arrives with the fields HA's schema requires, comes again when HA says
 * {@code online} on {@code homeassistant/status}, and the Live switch's and the button's commands,
 * sent as HA sends them, really start and stop the stream and take a picture.
 */
class HomeAssistantIT extends RealServers {

    private static final Duration START = Duration.ofSeconds(30);
    private static final String TOPIC = "homeassistant/device/vigil_ha-1/config";
    @Test
    void discovery_matchesHaSchema_isResentOnHaBirth_andTheSwitchAndButtonWork() throws Exception {
        try (MqttProbe homeAssistant = MqttProbe.connect(broker.host(), broker.port(), AgentUnderTest.PROBE_USER,
                AgentUnderTest.PROBE_PASSWORD)) {
            homeAssistant.subscribe("homeassistant/device/#");
            try (AgentUnderTest agent = AgentUnderTest.start("ha-1", broker, relay,
                    Map.of("AGENT_HOME_ASSISTANT", "true", "-Dvigil.agent.home-assistant.live-lease", "2m"),
                    AgentUnderTest.MQTT_PASSWORD)) {
                await().atMost(START).until(() -> homeAssistant.messages(TOPIC).size() == 1);
                final JsonNode config = new ObjectMapper().readTree(homeAssistant.messages(TOPIC).get(0).payload());
                assertEquals("vigil_ha-1", config.path("dev").path("ids").get(0).asText());
                assertFalse(config.path("o").path("name").asText().isEmpty(), "origin name (required for device discovery)");
                assertEquals(agent.topic + "/availability", config.path("availability").get(0).path("topic").asText());
                for (final Iterator<Map.Entry<String, JsonNode>> it = config.path("cmps").fields(); it.hasNext();) {
                    final Map.Entry<String, JsonNode> component = it.next();
                    assertFalse(component.getValue().path("p").asText().isEmpty(), component.getKey() + " has no platform");
                    assertTrue(component.getValue().path("unique_id").asText().startsWith("vigil_ha-1_"), component.getKey());
                }
                agent.awaitState(StreamState.IDLE, START);

                homeAssistant.publish("homeassistant/status", "online");
                await().atMost(START).until(() -> homeAssistant.messages(TOPIC).size() == 2);

                final JsonNode live = config.path("cmps").path("live");
                homeAssistant.publish(live.path("command_topic").asText(), live.path("payload_on").asText());
                agent.awaitState(StreamState.STREAMING, START);
                assertTrue(agent.state().leaseUntil() != null, "the switch starts a leased stream");
                await().atMost(START).until(() -> relay.ready("live/ha-1"));
                homeAssistant.publish(live.path("command_topic").asText(), live.path("payload_off").asText());
                agent.awaitState(StreamState.IDLE, START);

                final JsonNode button = config.path("cmps").path("take_snapshot");
                homeAssistant.publish(button.path("command_topic").asText(), button.path("payload_press").asText());
                await().atMost(START).until(() -> !agent.snapshots().isEmpty());
                assertNull(Snapshots.problemWith(agent.snapshots().get(0)));
                assertEquals(config.path("cmps").path("snapshot").path("topic").asText(), agent.topic + "/snapshot");
            }
        }
    }
}
