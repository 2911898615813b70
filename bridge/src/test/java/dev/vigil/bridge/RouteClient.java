package dev.vigil.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.bridge.http.JsonReplies;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calls routes through a Helidon test client (DirectClient or a real one) and keeps each answer whole. */
final class RouteClient {

    private final Http1Client client;

    RouteClient(final Http1Client client) {
        this.client = client;
    }

    /** One answer: status, body and every header (lower-case names, all values). */
    record Reply(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() {
            return RouteClient.json(body);
        }

        String header(final String name) {
            final List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** {@code method path} with {@code headers} and, when not null, {@code body}. A query in {@code path} is sent as such. */
    Reply call(final Method method, final String path, final Map<String, String> headers, final String body) {
        final int q = path.indexOf('?');
        Http1ClientRequest request = client.method(method).path(q < 0 ? path : path.substring(0, q)).followRedirects(false);
        if (q >= 0) {
            for (final String pair : path.substring(q + 1).split("&")) {
                final String[] kv = pair.split("=", 2);
                request = request.queryParam(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        for (final Map.Entry<String, String> header : headers.entrySet()) {
            request = request.header(HeaderNames.create(header.getKey()), header.getValue());
        }
        try (Http1ClientResponse res = body == null ? request.request() : request.submit(body)) {
            final Map<String, List<String>> all = new LinkedHashMap<>();
            res.headers().forEach(h -> all.put(h.name().toLowerCase(java.util.Locale.ROOT), h.allValues()));
            return new Reply(res.status().code(), res.entity().hasEntity() ? res.entity().as(String.class) : "", all);
        }
    }

    /** {@code method path} with an {@code Authorization} header (none when null). */
    Reply call(final Method method, final String path, final String auth) {
        return call(method, path, auth == null ? Map.of() : Map.of("Authorization", auth), null);
    }

    /** {@code POST /relay/auth} with {@code body}. */
    Reply relay(final String body) {
        return call(Method.POST, "/relay/auth", Map.of(), body);
    }

    /** {@code body} parsed, or an assertion error that shows it. */
    static JsonNode json(final String body) {
        try {
            return JsonReplies.MAPPER.readTree(body);
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static String bearer(final String token) {
        return "Bearer " + token;
    }

    static String basic(final String user, final String password) {
        return TestConfigs.basic(user, password);
    }
}
