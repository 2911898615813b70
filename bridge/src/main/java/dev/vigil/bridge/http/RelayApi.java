package dev.vigil.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.relay.RelayAction;
import dev.vigil.bridge.relay.RelayAuthorizer;
import dev.vigil.bridge.relay.RelayDecision;
import dev.vigil.bridge.relay.RelayPlayers;
import dev.vigil.bridge.relay.RelayRequest;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relays' questions: MediaMTX's {@code authMethod: http} JSON at {@code /relay/auth}, and
 * nginx-rtmp's form callbacks at {@code /relay/nginx/*}. 2xx allows, 401/403 denies (never 3xx,
 * which nginx-rtmp would take as a redirect). A player that nginx-rtmp lets read a robot's path
 * holds a view of it until its {@code on_play_done}.
 */
public final class RelayApi implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(RelayApi.class);

    private final BridgeSettings settings;
    private final RelayAuthorizer authorizer;
    private final RelayPlayers players;
    private final Set<String> callers;

    /** Creates the routes. */
    public RelayApi(final BridgeSettings settings, final RelayAuthorizer authorizer, final RelayPlayers players) {
        this.settings = settings;
        this.authorizer = authorizer;
        this.players = players;
        this.callers = Set.copyOf(settings.relayCallers());
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/relay/auth", this::mediamtx)
                .post("/relay/nginx/on_publish", (req, res) -> nginx(req, res, RelayAction.PUBLISH))
                .post("/relay/nginx/on_play", (req, res) -> nginx(req, res, RelayAction.READ))
                .post("/relay/nginx/on_publish_done", this::publishDone)
                .post("/relay/nginx/on_play_done", this::playDone)
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
        final Map<String, String> query = form(Optional.ofNullable(text(body, "query")).orElse(""));
        final String password = text(body, "password");
        final RelayRequest request = new RelayRequest(action.get(), text(body, "path"), text(body, "user"),
                password == null || password.isEmpty() ? query.getOrDefault("token", query.get("pass")) : password,
                query.get("lease"), text(body, "ip"));
        answer(res, request, authorizer.decide(request));
    }

    private void nginx(final ServerRequest req, final ServerResponse res, final RelayAction action) {
        if (!callerAllowed(req, res)) {
            return;
        }
        final Map<String, String> form = form(req.content().as(String.class));
        final String path = form.getOrDefault("app", "") + "/" + form.getOrDefault("name", "");
        final String secret = form.containsKey("pass") ? form.get("pass") : form.get("token");
        final RelayRequest request = new RelayRequest(action, path, form.get("user"), secret, form.get("lease"),
                form.get("addr"));
        final RelayDecision decision = authorizer.decide(request);
        if (decision.allowed() && action == RelayAction.READ && decision.robotId() != null) {
            final RobotSettings robot = settings.robot(decision.robotId()).orElseThrow();
            players.joined(playerKey(form), robot);
        }
        answer(res, request, decision);
    }

    private void publishDone(final ServerRequest req, final ServerResponse res) {
        if (!callerAllowed(req, res)) {
            return;
        }
        final Map<String, String> form = form(req.content().as(String.class));
        LOG.info("Relay: publisher left {}/{}", form.get("app"), form.get("name"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void playDone(final ServerRequest req, final ServerResponse res) {
        if (!callerAllowed(req, res)) {
            return;
        }
        players.left(playerKey(form(req.content().as(String.class))));
        res.status(Status.NO_CONTENT_204).send();
    }

    private static void answer(final ServerResponse res, final RelayRequest request, final RelayDecision decision) {
        final String action = request.action().name().toLowerCase(java.util.Locale.ROOT);
        if (decision.allowed()) {
            LOG.info("Relay: allowed {} of '{}' from {} ({})", action, request.path(), request.client(), decision.reason());
            res.status(Status.NO_CONTENT_204).send();
        } else {
            LOG.warn("Relay: refused {} of '{}' from {}: {}", action, request.path(), request.client(), decision.reason());
            JsonReplies.problem(res, Status.UNAUTHORIZED_401, decision.reason());
        }
    }

    private static String playerKey(final Map<String, String> form) {
        return form.getOrDefault("clientid", "?") + "@" + form.getOrDefault("addr", "?") + "/"
                + form.getOrDefault("app", "") + "/" + form.getOrDefault("name", "");
    }

    private static String text(final JsonNode body, final String field) {
        final JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** Decodes {@code a=1&b=2}; the first value of a repeated field wins; a malformed escape is kept raw. */
    static Map<String, String> form(final String text) {
        final Map<String, String> fields = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return fields;
        }
        for (final String pair : List.of(text.split("&"))) {
            final int eq = pair.indexOf('=');
            final String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            final String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    private static String decode(final String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return text;
        }
    }
}
