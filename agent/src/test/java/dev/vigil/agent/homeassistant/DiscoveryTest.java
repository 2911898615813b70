package dev.vigil.agent.homeassistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.CommandParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The device discovery payload against Home Assistant's documented schema (integrations/mqtt,
 * "Device discovery payload"): {@code dev} and {@code o} at the root, every component under
 * {@code cmps} with its platform {@code p} and a {@code unique_id}, the shared availability, and each
 * platform's required option (a camera's {@code topic}, a button's {@code command_topic}).
 */
class DiscoveryTest {

    private static final Discovery DISCOVERY = new Discovery("homeassistant", "rover-2", "Rover 2", "robots/rover-2/stream",
            "picam-x264", "1.2.3", Duration.ofMinutes(10));

    private static JsonNode payload() throws Exception {
        return new ObjectMapper().readTree(DISCOVERY.payload());
    }

    @Test
    void topic_isDeviceBased_withAnObjectIdOfHasAlphabet() {
        assertEquals("homeassistant/device/vigil_rover-2/config", DISCOVERY.topic());
        assertTrue("vigil_rover-2".matches("[a-zA-Z0-9_-]+"));
        assertEquals("homeassistant/status", DISCOVERY.statusTopic());
    }

    @Test
    void payload_hasDeviceOriginAndAvailability_atTheRoot() throws Exception {
        final JsonNode root = payload();
        assertEquals("vigil_rover-2", root.path("dev").path("ids").get(0).asText());
        assertEquals("Rover 2", root.path("dev").path("name").asText());
        assertEquals("picam-x264", root.path("dev").path("mdl").asText());
        assertEquals("vigil-agent", root.path("o").path("name").asText());
        assertEquals("1.2.3", root.path("o").path("sw").asText());
        final JsonNode availability = root.path("availability").get(0);
        assertEquals("robots/rover-2/stream/availability", availability.path("topic").asText());
        assertEquals("online", availability.path("payload_available").asText());
        assertEquals("offline", availability.path("payload_not_available").asText());
    }

    @Test
    void payload_components_eachHavePlatformAndUniqueId_andTheirRequiredOptions() throws Exception {
        final JsonNode components = payload().path("cmps");
        final Map<String, String> platforms = Map.of("live", "switch", "motion", "binary_sensor", "snapshot", "camera",
                "take_snapshot", "button", "state", "sensor", "motion_detection", "switch");
        final Set<String> ids = new HashSet<>();
        for (final Iterator<String> keys = components.fieldNames(); keys.hasNext();) {
            final String key = keys.next();
            final JsonNode component = components.path(key);
            assertEquals(platforms.get(key), component.path("p").asText(), key);
            assertTrue(ids.add(component.path("unique_id").asText()), "unique ids repeat");
            assertTrue(component.path("unique_id").asText().startsWith("vigil_rover-2_"), key);
        }
        assertEquals(platforms.keySet(), ids.stream().map(id -> id.substring("vigil_rover-2_".length()))
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals("robots/rover-2/stream/snapshot", components.path("snapshot").path("topic").asText());
        assertEquals("robots/rover-2/stream", components.path("take_snapshot").path("command_topic").asText());
        assertEquals("motion", components.path("motion").path("device_class").asText());
        assertEquals("robots/rover-2/stream/event", components.path("motion").path("state_topic").asText());
        assertEquals("robots/rover-2/stream/state", components.path("state").path("state_topic").asText());
    }

    @Test
    void payload_switchAndButton_sendCommandsTheAgentParses() throws Exception {
        final JsonNode components = payload().path("cmps");
        final JsonNode live = components.path("live");
        assertEquals("robots/rover-2/stream", live.path("command_topic").asText());
        final Command on = CommandParser.parse(live.path("payload_on").asText().getBytes(StandardCharsets.UTF_8));
        assertEquals(new Command(Command.Kind.START, Duration.ofMinutes(10), null), on);
        assertEquals(Command.stop(), CommandParser.parse(live.path("payload_off").asText().getBytes(StandardCharsets.UTF_8)));
        assertEquals(Command.Kind.SNAPSHOT, CommandParser.parse(components.path("take_snapshot").path("payload_press").asText()
                .getBytes(StandardCharsets.UTF_8)).kind());
        assertEquals("ON", live.path("state_on").asText());
        assertTrue(live.path("value_template").asText().contains("value_json.desired == 'streaming'"));
    }

}
