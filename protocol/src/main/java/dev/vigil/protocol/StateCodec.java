package dev.vigil.protocol;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/** Encodes and decodes {@link StateMessage} as the JSON of the wire contract. */
public final class StateCodec {

    private StateCodec() {
    }

    /** The JSON bytes, with every field present ({@code null} where empty). */
    public static byte[] encode(final StateMessage message) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", message.state().wire());
        json.put("desired", message.desired().wire());
        json.put("since", message.since().toString());
        json.put("restarts", message.restarts());
        json.put("pipeline", message.pipeline());
        json.put("lastError", message.lastError());
        json.put("requestId", message.requestId());
        json.put("leaseUntil", message.leaseUntil() == null ? null : message.leaseUntil().toString());
        json.put("hold", message.hold().wire());
        json.put("motion", message.motion() ? "on" : "off");
        json.put("leases", message.leases());
        return Json.write(json);
    }

    /** Decodes a state payload; unknown fields are ignored, missing required ones are refused. */
    public static StateMessage decode(final byte[] payload) throws InvalidMessageException {
        final JsonValue root;
        try {
            root = Json.read(payload);
        } catch (final IOException e) {
            throw new InvalidMessageException("state is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidMessageException("state must be a JSON object");
        }
        try {
            return new StateMessage(
                    StreamState.fromWire(required(root, "state")),
                    Desired.fromWire(required(root, "desired")),
                    Instant.parse(required(root, "since")),
                    root.path("restarts").asInt(0),
                    optional(root, "pipeline") == null ? "" : optional(root, "pipeline"),
                    optional(root, "lastError"),
                    optional(root, "requestId"),
                    optional(root, "leaseUntil") == null ? null : Instant.parse(optional(root, "leaseUntil")),
                    optional(root, "hold") == null ? Hold.NONE : Hold.fromWire(optional(root, "hold")),
                    "on".equals(optional(root, "motion")),
                    leases(root.get("leases")));
        } catch (final IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidMessageException("state has an invalid field: " + e.getMessage());
        }
    }

    /** The holders' names; anything that is not a list of holder names reads as none. */
    private static List<String> leases(final JsonValue node) {
        final List<String> holders = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (final JsonValue holder : node) {
                if (holder.isTextual() && Command.HOLDER.matcher(holder.asText()).matches()) {
                    holders.add(holder.asText());
                }
            }
        }
        return holders;
    }

    private static String required(final JsonValue root, final String field) throws InvalidMessageException {
        final String value = optional(root, field);
        if (value == null) {
            throw new InvalidMessageException("state has no \"" + field + "\"");
        }
        return value;
    }

    private static String optional(final JsonValue root, final String field) {
        final JsonValue node = root.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
