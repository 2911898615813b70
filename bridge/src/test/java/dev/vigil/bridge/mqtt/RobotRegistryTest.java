package dev.vigil.bridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.protocol.Desired;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RobotRegistryTest {

    private final RobotRegistry registry = new RobotRegistry(
            List.of(RobotSettings.of("default", "robot/stream", "live/stream", "default")), Clock.systemUTC());

    private void state(final StreamState state) {
        registry.accept("robot/stream/state", new StateMessage(state, Desired.STREAMING, Instant.now(), 0, "testsrc",
                null, null, null).toJson());
    }

    @Test
    void relayAvailability_isUnknown_untilTheRelaySaysSomething() {
        state(StreamState.STREAMING);
        assertNull(registry.status("default").relayAvailable(), "a bridge started under a running stream knows nothing yet");
        assertEquals("default", registry.acceptRelayAvailability("live/stream", true));
        assertEquals(Boolean.TRUE, registry.status("default").relayAvailable());
        assertEquals("default", registry.acceptRelayAvailability("live/stream", false));
        assertEquals(Boolean.FALSE, registry.status("default").relayAvailable());
    }

    @Test
    void relayAvailability_endsWhenTheRobotStopsOrGoesOffline_evenIfTheRelayIsLate() {
        registry.acceptRelayAvailability("live/stream", true);
        state(StreamState.STREAMING);
        assertEquals(Boolean.TRUE, registry.status("default").relayAvailable());
        state(StreamState.IDLE);
        assertEquals(Boolean.FALSE, registry.status("default").relayAvailable());
        registry.acceptRelayAvailability("live/stream", true);
        registry.accept("robot/stream/availability", "offline".getBytes(StandardCharsets.UTF_8));
        assertEquals(Boolean.FALSE, registry.status("default").relayAvailable());
    }

    @Test
    void relayAvailability_ofAPathNoRobotPublishesTo_isIgnored() {
        assertNull(registry.acceptRelayAvailability("live/other", true));
        assertNull(registry.status("default").relayAvailable());
    }
}
