package dev.vigil.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ControlMessageTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void toJson_writesContractFields() {
        assertEquals("{\"hold\":\"privacy\",\"by\":\"otto\",\"since\":\"2026-11-25T10:00:00Z\"}",
                new String(new ControlMessage(Hold.PRIVACY, "otto", NOW).toJson(), StandardCharsets.UTF_8));
    }

    @Test
    void decode_roundTrips_everyHold() throws Exception {
        for (final Hold hold : Hold.values()) {
            final ControlMessage message = new ControlMessage(hold, "otto", NOW);
            assertEquals(message, ControlMessage.decode(message.toJson(), NOW.plusSeconds(5)));
        }
    }

    @Test
    void decode_readsNone_fromEmptyRetainedPayload() throws Exception {
        final ControlMessage cleared = ControlMessage.decode(new byte[0], NOW);
        assertEquals(Hold.NONE, cleared.hold());
        assertNull(cleared.by());
        assertFalse(cleared.hold().holds());
        assertTrue(Hold.STOPPED.holds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[]", "{}", "{\"hold\":1}", "{\"hold\":\"off\"}", "{\"hold\":\"none\",\"since\":\"yesterday\"}"})
    void decode_refusesMalformed_withOneLineReason(final String payload) {
        final InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> ControlMessage.decode(payload.getBytes(StandardCharsets.UTF_8), NOW));
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void decode_keepsNamePrintable() throws Exception {
        assertEquals("a?b", ControlMessage.decode("{\"hold\":\"stopped\",\"by\":\"a\\nb\"}".getBytes(StandardCharsets.UTF_8), NOW).by());
    }
}
