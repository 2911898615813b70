package dev.vigil.protocol;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The retained JSON on {@code B/control}, published by the bridge when an operator stops a robot,
 * disables or enables its camera, or starts it again: {@code {"hold":"none|stopped|privacy",
 * "by":"<operator>","since":"<ISO-8601>"}}. Being retained, it reaches an agent that restarts or
 * reconnects before any command, and a restarted bridge reads it back. An empty retained payload
 * means {@link Hold#NONE}.
 *
 * @param hold  what the robot must keep to
 * @param by    who set it (a configured user or token name), or {@code null}
 * @param since when it was set
 */
public record ControlMessage(Hold hold, String by, Instant since) {

    /** Longer payloads are refused before they are decoded. */
    public static final int MAX_PAYLOAD_BYTES = 1024;

    public ControlMessage {
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(since, "since");
    }

    /** The JSON payload. */
    public byte[] toJson() {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("hold", hold.wire());
        json.put("by", by);
        json.put("since", since.toString());
        return Json.write(json);
    }

    /**
     * Decodes a payload; an empty one is {@link Hold#NONE} since {@code now}. Throws with a one-line
     * reason for anything else that does not follow the contract.
     */
    public static ControlMessage decode(final byte[] payload, final Instant now) throws InvalidMessageException {
        if (payload == null || payload.length == 0) {
            return new ControlMessage(Hold.NONE, null, now);
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new InvalidMessageException("control payload of " + payload.length + " bytes is larger than "
                    + MAX_PAYLOAD_BYTES);
        }
        final JsonValue root;
        try {
            root = Json.read(payload);
        } catch (final IOException e) {
            throw new InvalidMessageException("control is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidMessageException("control must be a JSON object");
        }
        final JsonValue hold = root.get("hold");
        if (hold == null || !hold.isTextual()) {
            throw new InvalidMessageException("control has no \"hold\" string");
        }
        try {
            final JsonValue by = root.get("by");
            final JsonValue since = root.get("since");
            return new ControlMessage(Hold.fromWire(hold.asText()),
                    by == null || by.isNull() ? null : printable(by.asText()),
                    since == null || since.isNull() ? now : Instant.parse(since.asText()));
        } catch (final IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidMessageException("control has an invalid field (hold must be none, stopped or privacy;"
                    + " since an ISO-8601 instant)");
        }
    }

    /** At most 64 characters, control characters replaced: the name goes into logs. */
    private static String printable(final String text) {
        final StringBuilder out = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
