package dev.vigil.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.relay.Forms;
import dev.vigil.bridge.relay.NginxCallbacks;
import dev.vigil.bridge.relay.RelayAction;
import dev.vigil.bridge.relay.RelayAuthorizer;
import dev.vigil.bridge.relay.RelayDecision;
import dev.vigil.bridge.relay.RelayRequest;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The relays' questions: MediaMTX's {@code authMethod: http} JSON at {@code /relay/auth}, and
 * nginx-rtmp's form callbacks at {@code /relay/nginx/<event>} (for HTTP/1.1 callers; nginx-rtmp
 * itself speaks HTTP/1.0 and uses the {@code NginxCallbackListener}). 2xx allows, 401 denies.
 */
public final class RelayApi implements HttpService {

    private final RelayAuthorizer authorizer;
    private final NginxCallbacks callbacks;
    private final Set<String> callers;

    /** Creates the routes. */
    public RelayApi(final BridgeSettings settings, final RelayAuthorizer authorizer, final NginxCallbacks callbacks) {
        this.authorizer = authorizer;
        this.callbacks = callbacks;
        this.callers = Set.copyOf(settings.relayCallers());
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/relay/auth", this::mediamtx)
                .post("/relay/nginx/{event}", this::nginx)
                .any("/relay/auth", Routes::methodNotAllowed)
                .any("/relay/nginx/{event}", Routes::methodNotAllowed);
    }

    private boolean callerAllowed(final ServerRequest req, final ServerResponse res) {
        if (callers.contains(req.remotePeer().host())) {
            return true;
        }
        JsonReplies.problem(res, Status.FORBIDDEN_403, "relay callbacks are not accepted from "
                + Routes.printable(req.remotePeer().host()) + " (see vigil.bridge.relay.allowed-callers)");
        return false;
    }

    private void mediamtx(final ServerRequest req, final ServerResponse res) throws IOException {
        if (!callerAllowed(req, res)) {
            return;
        }
        final JsonNode body = JsonReplies.MAPPER.readTree(req.content().as(byte[].class));
        if (body == null || !body.isObject()) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "the body must be a JSON object");
            return;
        }
        final Optional<RelayAction> action = RelayAction.parse(text(body, "action"));
        if (action.isEmpty()) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "action must be publish, read, playback, api, metrics or pprof");
            return;
        }
        final Map<String, String> query = Forms.decode(Optional.ofNullable(text(body, "query")).orElse(""));
        final String password = text(body, "password");
        final RelayRequest request = new RelayRequest(action.get(), text(body, "path"), text(body, "user"),
                password == null || password.isEmpty() ? query.getOrDefault("token", query.get("pass")) : password,
                query.get("lease"), text(body, "ip"));
        final RelayDecision decision = authorizer.decide(request);
        NginxCallbacks.log(request, decision);
        answer(res, decision);
    }

    private void nginx(final ServerRequest req, final ServerResponse res) {
        if (!callerAllowed(req, res)) {
            return;
        }
        final RelayDecision decision = callbacks.handle(req.path().pathParameters().get("event"),
                Forms.decode(req.content().as(String.class)));
        if (decision == null) {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "unknown nginx-rtmp event");
            return;
        }
        answer(res, decision);
    }

    private static void answer(final ServerResponse res, final RelayDecision decision) {
        if (decision.allowed()) {
            res.status(Status.NO_CONTENT_204).send();
        } else {
            JsonReplies.problem(res, Status.UNAUTHORIZED_401, decision.reason());
        }
    }

    private static String text(final JsonNode body, final String field) {
        final JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
