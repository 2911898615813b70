package dev.vigil.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol's JSON, on Jackson's streaming parser and generator (jackson-core) alone: the
 * messages are a handful of flat fields, and Jackson's databind (some 400 classes more) would stay
 * in the memory of every robot's agent for them.
 */
public final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    /**
     * Encodes a map (in its iteration order) whose values are strings, numbers, booleans,
     * {@code null}, maps with string keys and collections of these.
     */
    public static byte[] write(final Map<String, ?> value) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            writeValue(json, value);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot encode JSON", e);
        }
        return out.toByteArray();
    }

    private static void writeValue(final JsonGenerator json, final Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            json.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName((String) entry.getKey());
                writeValue(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> items) {
            json.writeStartArray();
            for (final Object item : items) {
                writeValue(json, item);
            }
            json.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot encode a " + value.getClass().getName() + " as JSON");
        }
    }

    /** The first JSON value in {@code bytes} (what follows it is not read), or {@code null} if there is none. */
    static JsonValue read(final byte[] bytes) throws IOException {
        try (JsonParser json = FACTORY.createParser(bytes)) {
            final JsonToken first = json.nextToken();
            return first == null ? null : readValue(json, first);
        }
    }

    private static JsonValue readValue(final JsonParser json, final JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                final Map<String, JsonValue> fields = new LinkedHashMap<>();
                for (JsonToken next = json.nextToken(); next != JsonToken.END_OBJECT; next = json.nextToken()) {
                    final String name = json.currentName();
                    fields.put(name, readValue(json, json.nextToken()));
                }
                return new JsonValue(fields);
            }
            case START_ARRAY: {
                final List<JsonValue> items = new ArrayList<>();
                for (JsonToken next = json.nextToken(); next != JsonToken.END_ARRAY; next = json.nextToken()) {
                    items.add(readValue(json, next));
                }
                return new JsonValue(items);
            }
            case VALUE_STRING:
                return new JsonValue(json.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new JsonValue(json.getNumberValue());
            case VALUE_TRUE:
                return new JsonValue(Boolean.TRUE);
            case VALUE_FALSE:
                return new JsonValue(Boolean.FALSE);
            case VALUE_NULL:
                return JsonValue.NULL;
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }
}
