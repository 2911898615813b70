package dev.vigil.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses a command payload: a plain word ({@code start}, {@code stop}, {@code snapshot},
 * {@code motion-on}, {@code motion-off}; case and surrounding white space ignored) or JSON
 * {@code {"command":"start","lease":"PT2M","requestId":"...","holder":"views"}} (only a start carries a
 * lease; only a start or a stop names a holder, see {@link Command}). Anything else is
 * refused with a one-line reason that quotes at most a short, printable excerpt of the payload.
 */
public final class CommandParser {

    /** Larger payloads are refused before they are decoded. */
    public static final int MAX_PAYLOAD_BYTES = 4096;
    /** The longest lease a command may ask for. */
    public static final Duration MAX_LEASE = Duration.ofHours(24);
    /** The longest request id. */
    public static final int MAX_REQUEST_ID = 128;

    private static final int EXCERPT = 40;
    private static final String WORDS = "start, stop, snapshot, motion-on, motion-off";

    private CommandParser() {
    }

    /** Parses {@code payload}, or throws with a one-line reason. */
    public static Command parse(final byte[] payload) throws InvalidMessageException {
        if (payload == null || payload.length == 0) {
            throw new InvalidMessageException("empty command payload");
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new InvalidMessageException("command payload of " + payload.length
                    + " bytes is larger than " + MAX_PAYLOAD_BYTES);
        }
        final String text = decodeUtf8(payload).strip();
        if (text.startsWith("{")) {
            return parseJson(payload);
        }
        final Command.Kind kind = kindOf(text);
        if (kind == null) {
            throw new InvalidMessageException("unknown command " + excerpt(text) + " (expected " + WORDS + " or JSON)");
        }
        return new Command(kind, null, null);
    }

    private static Command parseJson(final byte[] payload) throws InvalidMessageException {
        final JsonValue root;
        try {
            root = Json.read(payload);
        } catch (final IOException e) {
            throw new InvalidMessageException("command is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidMessageException("JSON command must be an object");
        }
        final JsonValue command = root.get("command");
        if (command == null || !command.isTextual()) {
            throw new InvalidMessageException("JSON command has no \"command\" string");
        }
        final Command.Kind kind = kindOf(command.asText().strip());
        if (kind == null) {
            throw new InvalidMessageException("unknown command " + excerpt(command.asText()) + " (expected " + WORDS + ")");
        }
        final Duration lease = lease(root.get("lease"), kind);
        final String requestId = requestId(root.get("requestId"));
        final String holder = holder(root.get("holder"), kind);
        return new Command(kind, lease, requestId, holder);
    }

    private static Duration lease(final JsonValue node, final Command.Kind kind) throws InvalidMessageException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (kind != Command.Kind.START) {
            throw new InvalidMessageException("a " + kind.wire() + " command carries no lease");
        }
        if (!node.isTextual()) {
            throw new InvalidMessageException("lease must be an ISO-8601 duration string such as \"PT2M\"");
        }
        final Duration lease;
        try {
            lease = Duration.parse(node.asText());
        } catch (final DateTimeParseException e) {
            throw new InvalidMessageException("lease " + excerpt(node.asText()) + " is not an ISO-8601 duration such as \"PT2M\"");
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new InvalidMessageException("lease must be positive");
        }
        if (lease.compareTo(MAX_LEASE) > 0) {
            throw new InvalidMessageException("lease " + lease + " is longer than the maximum " + MAX_LEASE);
        }
        return lease;
    }

    private static String holder(final JsonValue node, final Command.Kind kind) throws InvalidMessageException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (kind != Command.Kind.START && kind != Command.Kind.STOP) {
            throw new InvalidMessageException("a " + kind.wire() + " command names no holder");
        }
        if (!node.isTextual() || !Command.HOLDER.matcher(node.asText()).matches()) {
            throw new InvalidMessageException("holder must be 1-32 of a-z, 0-9 and '-' (such as \"views\")");
        }
        return node.asText();
    }

    private static String requestId(final JsonValue node) throws InvalidMessageException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidMessageException("requestId must be a string");
        }
        final String id = node.asText();
        if (id.isEmpty() || id.length() > MAX_REQUEST_ID || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidMessageException("requestId must be 1-" + MAX_REQUEST_ID + " printable ASCII characters");
        }
        return id;
    }

    private static Command.Kind kindOf(final String word) {
        return Command.Kind.fromWire(word.toLowerCase(Locale.ROOT));
    }

    private static String decodeUtf8(final byte[] payload) throws InvalidMessageException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (final CharacterCodingException e) {
            throw new InvalidMessageException("command payload of " + payload.length + " bytes is not valid UTF-8");
        }
    }

    /** A quoted, printable excerpt: control characters become '?', long text is cut with an ellipsis. */
    static String excerpt(final String text) {
        final StringBuilder out = new StringBuilder("'");
        text.codePoints().limit(EXCERPT).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (text.codePointCount(0, text.length()) > EXCERPT) {
            out.append('…');
        }
        return out.append('\'').toString();
    }
}
