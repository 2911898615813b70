package dev.vigil.protocol;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A decoded JSON value (see {@link Json#read}): an object, an array, a string, a number, a boolean,
 * {@code null}, or a missing field ({@link #path}). Read the way Jackson's tree reads.
 */
final class JsonValue implements Iterable<JsonValue> {

    static final JsonValue NULL = new JsonValue(null);
    static final JsonValue MISSING = new JsonValue(null);

    /** A {@code Map<String, JsonValue>}, {@code List<JsonValue>}, String, Number, Boolean or null. */
    private final Object value;

    JsonValue(final Object value) {
        this.value = value;
    }

    boolean isObject() {
        return value instanceof Map;
    }

    boolean isArray() {
        return value instanceof List;
    }

    boolean isTextual() {
        return value instanceof String;
    }

    boolean isNull() {
        return this == NULL;
    }

    /** A field of an object, or {@code null} if there is no such field (or this is no object). */
    JsonValue get(final String field) {
        return value instanceof Map<?, ?> fields ? (JsonValue) fields.get(field) : null;
    }

    /** A field of an object, or {@link #MISSING}. */
    JsonValue path(final String field) {
        final JsonValue found = get(field);
        return found == null ? MISSING : found;
    }

    /** A string's text, a number's or a boolean's in JSON, {@code "null"} for null, else empty. */
    String asText() {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return this == NULL ? "null" : "";
    }

    /** A number's int value, a string's if it is one, 1 or 0 for a boolean, else {@code fallback}. */
    int asInt(final int fallback) {
        if (value instanceof Number number) {
            return number.intValue();
        }
        if (value instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        if (value instanceof String text) {
            try {
                return (int) Double.parseDouble(text.strip());
            } catch (final NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** A number's double value, a string's if it is one, 1 or 0 for a boolean, else 0. */
    double asDouble() {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text.strip());
            } catch (final NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** The items of an array; nothing for anything else. */
    @Override
    @SuppressWarnings("unchecked")
    public Iterator<JsonValue> iterator() {
        return value instanceof List<?> items ? ((List<JsonValue>) items).iterator() : Collections.emptyIterator();
    }
}
