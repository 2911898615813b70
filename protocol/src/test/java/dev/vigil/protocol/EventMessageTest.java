package dev.vigil.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventMessageTest {

    private static final Instant TIME = Instant.parse("2026-11-25T10:00:00.250Z");

    @Test
    void toJson_writesTypeTimeRequestIdAndArea() {
        assertEquals("{\"type\":\"motion\",\"time\":\"2026-11-25T10:00:00.250Z\",\"requestId\":\"motion-1\",\"area\":0.04}",
                new String(new EventMessage(EventMessage.Type.MOTION, TIME, "motion-1", 0.04).toJson(), StandardCharsets.UTF_8));
    }

    @Test
    void decode_roundTrips_everyType() throws Exception {
        for (final EventMessage.Type type : EventMessage.Type.values()) {
            final EventMessage event = new EventMessage(type, TIME, null, null);
            assertEquals(event, EventMessage.decode(event.toJson()));
        }
        assertEquals("motion-end", EventMessage.Type.MOTION_END.wire());
    }

    @Test
    void decode_ignoresUnknownFields() throws Exception {
        final EventMessage event = EventMessage.decode(
                "{\"type\":\"motion\",\"time\":\"2026-11-25T10:00:00Z\",\"future\":true}".getBytes(StandardCharsets.UTF_8));
        assertEquals(EventMessage.Type.MOTION, event.type());
        assertNull(event.requestId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "{\"type\":\"motion\"}", "{\"type\":\"fire\",\"time\":\"2026-11-25T10:00:00Z\"}",
        "{\"type\":\"motion\",\"time\":\"noon\"}", "{\"type\":\"motion\",\"time\":\"2026-11-25T10:00:00Z\",\"area\":3}"})
    void decode_refusesMalformed_withOneLineReason(final String payload) {
        final InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> EventMessage.decode(payload.getBytes(StandardCharsets.UTF_8)));
        assertFalse(e.getMessage().contains("\n"));
    }
}
