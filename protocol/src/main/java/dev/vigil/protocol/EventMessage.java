package dev.vigil.protocol;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One event on {@code B/event} (not retained), published by the agent:
 * {@code {"type":"motion","time":"<ISO-8601>","requestId":"...","area":0.04}}. The request id is the
 * one of the leased stream that the event started (or extended), so that the state that follows can
 * be matched to it; {@code area} is the fraction of the picture's cells that moved.
 *
 * @param type      what happened
 * @param time      when the agent saw it
 * @param requestId the request id of the stream it started or extended, or {@code null}
 * @param area      the moving fraction of the picture (0 to 1), or {@code null} when not measured
 */
public record EventMessage(Type type, Instant time, String requestId, Double area) {

    /** Longer payloads are refused before they are decoded. */
    public static final int MAX_PAYLOAD_BYTES = 1024;

    /** What an event reports. The wire form is the lower-case name with '-' for '_'. */
    public enum Type {
        /** Motion began while motion mode was on; a leased stream started or was extended. */
        MOTION,
        /** The motion ended (no movement for the configured gap). */
        MOTION_END;

        /** {@code motion}, {@code motion-end}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Parses the wire form, or throws {@link IllegalArgumentException}. */
        public static Type fromWire(final String wire) {
            return valueOf(wire.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public EventMessage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        if (area != null && (area < 0 || area > 1)) {
            throw new IllegalArgumentException("area must be between 0 and 1");
        }
    }

    /** The JSON payload. */
    public byte[] toJson() {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type.wire());
        json.put("time", time.toString());
        json.put("requestId", requestId);
        json.put("area", area);
        return Json.write(json);
    }

    /** Decodes an event payload; unknown fields are ignored, a missing type or time is refused. */
    public static EventMessage decode(final byte[] payload) throws InvalidMessageException {
        if (payload == null || payload.length == 0 || payload.length > MAX_PAYLOAD_BYTES) {
            throw new InvalidMessageException("event payload must be 1-" + MAX_PAYLOAD_BYTES + " bytes of JSON");
        }
        final JsonValue root;
        try {
            root = Json.read(payload);
        } catch (final IOException e) {
            throw new InvalidMessageException("event is not valid JSON");
        }
        if (root == null || !root.isObject() || !root.path("type").isTextual() || !root.path("time").isTextual()) {
            throw new InvalidMessageException("event must be a JSON object with \"type\" and \"time\" strings");
        }
        try {
            final JsonValue request = root.get("requestId");
            final JsonValue area = root.get("area");
            return new EventMessage(Type.fromWire(root.get("type").asText()), Instant.parse(root.get("time").asText()),
                    request == null || request.isNull() ? null : request.asText(),
                    area == null || area.isNull() ? null : area.asDouble());
        } catch (final IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidMessageException("event has an invalid field (type must be motion or motion-end,"
                    + " time an ISO-8601 instant, area between 0 and 1)");
        }
    }
}
