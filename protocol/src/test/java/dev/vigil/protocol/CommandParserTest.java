package dev.vigil.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    @ParameterizedTest
    @ValueSource(strings = {"start", "START", " start\n", "Start"})
    void parse_returnsPlainStart_forStartWord(final String payload) throws Exception {
        assertEquals(Command.start(), CommandParser.parse(bytes(payload)));
    }

    @Test
    void parse_returnsPlainStop_forStopWord() throws Exception {
        assertEquals(Command.stop(), CommandParser.parse(bytes("stop")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"snapshot", "motion-on", "MOTION-OFF"})
    void parse_readsCameraCommands_asPlainWordsAndJson(final String word) throws Exception {
        final Command plain = CommandParser.parse(bytes(word));
        assertEquals(word.toLowerCase(java.util.Locale.ROOT), plain.kind().wire());
        final Command json = CommandParser.parse(bytes("{\"command\":\"" + word + "\",\"requestId\":\"r-9\"}"));
        assertEquals(new Command(plain.kind(), null, "r-9"), json);
        assertEquals(json, CommandParser.parse(json.toPayload()));
    }

    @Test
    void parse_refusesLease_onAnythingButStart() {
        final InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> CommandParser.parse(bytes("{\"command\":\"snapshot\",\"lease\":\"PT1M\"}")));
        assertEquals("a snapshot command carries no lease", e.getMessage());
    }

    @Test
    void parse_readsLeaseAndRequestId_fromJson() throws Exception {
        final Command command = CommandParser.parse(bytes("{\"command\":\"start\",\"lease\":\"PT2M\",\"requestId\":\"r-1\"}"));
        assertEquals(Command.Kind.START, command.kind());
        assertEquals(Duration.ofMinutes(2), command.lease());
        assertEquals("r-1", command.requestId());
    }

    @Test
    void parse_readsTheHolder_ofAStartAndAStop_andAStartWithoutOneIsManual() throws Exception {
        final Command views = CommandParser.parse(bytes("{\"command\":\"start\",\"lease\":\"PT40S\",\"holder\":\"views\"}"));
        assertEquals("views", views.holderOfStart());
        assertEquals(Command.release("views"), CommandParser.parse(bytes("{\"command\":\"stop\",\"holder\":\"views\"}")));
        assertEquals(Command.MANUAL, CommandParser.parse(bytes("start")).holderOfStart());
        assertEquals(null, CommandParser.parse(bytes("stop")).holder(), "a plain stop lets go of every lease");
        final Command released = Command.release(Command.MOTION);
        assertEquals(released, CommandParser.parse(released.toPayload()));
    }

    @Test
    void parse_refusesABadHolder_orOneOnACameraCommand() {
        assertEquals("holder must be 1-32 of a-z, 0-9 and '-' (such as \"views\")", assertThrows(InvalidMessageException.class,
                () -> CommandParser.parse(bytes("{\"command\":\"stop\",\"holder\":\"Views!\"}"))).getMessage());
        assertEquals("a snapshot command names no holder", assertThrows(InvalidMessageException.class,
                () -> CommandParser.parse(bytes("{\"command\":\"snapshot\",\"holder\":\"views\"}"))).getMessage());
    }

    @Test
    void parse_ignoresUnknownFields_inJson() throws Exception {
        final Command command = CommandParser.parse(bytes("{\"command\":\"stop\",\"extra\":[1,2]}"));
        assertEquals(Command.stop(), command);
    }

    @Test
    void toPayload_roundTrips_throughParse() throws Exception {
        final Command leased = new Command(Command.Kind.START, Duration.ofSeconds(90), "abc");
        assertEquals(leased, CommandParser.parse(leased.toPayload()));
        assertEquals("start", new String(Command.start().toPayload(), StandardCharsets.UTF_8));
    }

    @Test
    void parse_refusesInvalidUtf8_withOneLineReason() {
        final InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> CommandParser.parse(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}));
        assertEquals("command payload of 3 bytes is not valid UTF-8", e.getMessage());
    }

    @Test
    void parse_refusesHugePayload_withoutDecodingIt() {
        final byte[] huge = new byte[1024 * 1024];
        Arrays.fill(huge, (byte) 'a');
        final InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> CommandParser.parse(huge));
        assertTrue(e.getMessage().contains("1048576 bytes"), e.getMessage());
    }

    @Test
    void parse_quotesShortPrintableExcerpt_ofUnknownWord() {
        final InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> CommandParser.parse(bytes("reboot\u0007" + "x".repeat(100))));
        assertTrue(e.getMessage().startsWith("unknown command 'reboot?xxx"), e.getMessage());
        assertTrue(e.getMessage().length() < 140, e.getMessage());
        assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("\u0007"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{", "{\"command\":1}", "[\"start\"]", "{\"lease\":\"PT1M\"}", "{\"command\":\"jump\"}",
        "{\"command\":\"start\",\"lease\":\"two minutes\"}", "{\"command\":\"start\",\"lease\":\"-PT1M\"}",
        "{\"command\":\"start\",\"lease\":\"P30D\"}", "{\"command\":\"stop\",\"lease\":\"PT1M\"}",
        "{\"command\":\"start\",\"requestId\":\"has space\"}", "", "   "
    })
    void parse_refusesMalformedCommands(final String payload) {
        final InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> CommandParser.parse(bytes(payload)));
        assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void command_hasNoLease_whenPlain() {
        assertNull(Command.start().lease());
        assertTrue(Command.start().leaseDuration().isEmpty());
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
