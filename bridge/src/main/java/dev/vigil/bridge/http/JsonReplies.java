package dev.vigil.bridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Map;

/** Writes JSON answers and {@code {"detail": "..."}} problems. */
public final class JsonReplies {

    /** The one mapper of the bridge (thread safe). */
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonReplies() {
    }

    /** Sends {@code body} as JSON with {@code status}. */
    public static void send(final ServerResponse res, final Status status, final Object body) {
        final byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a reply: " + e.getOriginalMessage(), e);
        }
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send(bytes);
    }

    /** Sends a pre-encoded JSON body. */
    public static void sendRaw(final ServerResponse res, final Status status, final byte[] body) {
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send(body);
    }

    /** Sends {@code {"detail": detail}} with {@code status}. */
    public static void problem(final ServerResponse res, final Status status, final String detail) {
        send(res, status, Map.of("detail", detail));
    }

    /** Sends a 503 that tells the client when to retry. */
    public static void unavailable(final ServerResponse res, final Duration retryAfter, final String detail) {
        res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        problem(res, Status.SERVICE_UNAVAILABLE_503, detail);
    }
}
