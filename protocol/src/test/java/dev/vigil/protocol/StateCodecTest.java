package dev.vigil.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    private static final Instant SINCE = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void encode_writesEveryContractField_withNullsForEmpty() {
        final String json = new String(new StateMessage(StreamState.STREAMING, Desired.STREAMING, SINCE, 2,
                "testsrc", null, null, null).toJson(), StandardCharsets.UTF_8);
        assertEquals("{\"state\":\"streaming\",\"desired\":\"streaming\",\"since\":\"2026-11-25T10:00:00Z\","
                + "\"restarts\":2,\"pipeline\":\"testsrc\",\"lastError\":null,\"requestId\":null,\"leaseUntil\":null,"
                + "\"hold\":\"none\",\"motion\":\"off\",\"leases\":[]}", json);
    }

    @Test
    void decode_roundTrips_hold() throws Exception {
        final StateMessage held = new StateMessage(StreamState.IDLE, Desired.IDLE, SINCE, 0, "picam", null, null, null)
                .withHold(Hold.PRIVACY);
        assertEquals(Hold.PRIVACY, StateCodec.decode(held.toJson()).hold());
    }

    @Test
    void decode_readsNoHold_fromAgentThatPredatesHolds() throws Exception {
        assertEquals(Hold.NONE, StateCodec.decode("{\"state\":\"idle\",\"desired\":\"idle\",\"since\":\"2026-11-25T10:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8)).hold());
    }

    @Test
    void decode_roundTrips_encode() throws Exception {
        final StateMessage message = new StateMessage(StreamState.FAILED, Desired.IDLE, SINCE, 5, "picam",
                "ERROR: no camera", "req-9", SINCE.plusSeconds(120));
        assertEquals(message, StateCodec.decode(message.toJson()));
    }

    @Test
    void decode_roundTrips_motionMode_andReadsItsAbsenceAsOff() throws Exception {
        final StateMessage watching = new StateMessage(StreamState.IDLE, Desired.IDLE, SINCE, 0, "picam", null, null, null)
                .withMotion(true);
        assertTrue(StateCodec.decode(watching.toJson()).motion());
        assertFalse(StateCodec.decode("{\"state\":\"idle\",\"desired\":\"idle\",\"since\":\"2026-11-25T10:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8)).motion());
    }

    @Test
    void decode_roundTrips_leaseHolders_andReadsTheirAbsenceAsNone() throws Exception {
        final StateMessage held = new StateMessage(StreamState.STREAMING, Desired.STREAMING, SINCE, 0, "picam", null, null,
                SINCE.plusSeconds(30)).withLeases(java.util.List.of("motion", "views"));
        assertEquals(java.util.List.of("motion", "views"), StateCodec.decode(held.toJson()).leases());
        assertEquals(java.util.List.of(), StateCodec.decode(("{\"state\":\"idle\",\"desired\":\"idle\","
                + "\"since\":\"2026-11-25T10:00:00Z\",\"leases\":\"views\"}").getBytes(StandardCharsets.UTF_8)).leases());
    }

    @Test
    void decode_refusesUnknownState_withReason() {
        final InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> StateCodec.decode(
                "{\"state\":\"dancing\",\"desired\":\"idle\",\"since\":\"2026-11-25T10:00:00Z\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("state has an invalid field"), e.getMessage());
    }

    @Test
    void decode_refusesMissingSince() {
        assertThrows(InvalidMessageException.class, () -> StateCodec.decode(
                "{\"state\":\"idle\",\"desired\":\"idle\"}".getBytes(StandardCharsets.UTF_8)));
    }
}
