package dev.vigil.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.bridge.auth.Pause;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.relay.Forms;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MediaMTX's questions ({@code authMethod: http}) at {@code POST /relay/auth}: a JSON object with
 * {@code user}, {@code password}, {@code ip}, {@code action}, {@code path}, {@code protocol},
 * {@code id} and {@code query}. 2xx allows; every refusal is a 401, which also makes an RTSP client
 * that first came without credentials retry with its own. A body that is not such an object is a
 * 400 with a one-line reason. MediaMTX 1.20 asks about {@code api}, {@code metrics} and
 * {@code pprof} too (its {@code authHTTPExclude} defaults to nothing): an operator decides those,
 * or the bridge's own relay-API credential. The question's {@code ip} (the reader's address) is
 * what the throttle counts; a refusal the throttle delays is answered that much later.
 *
 * <p>The relay's availability hooks ({@code runOnAvailable}/{@code runOnUnavailable}) tell at
 * {@code POST /relay/available} and {@code /relay/unavailable} (form or query {@code path=}) that a
 * robot's path has a stream or no longer has one; a start's {@code ?wait} ends on the first.
 */
public final class RelayApi implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(RelayApi.class);

    private final RelayAuthorizer authorizer;
    private final RobotRegistry registry;
    private final Set<String> callers;
    private final Pause pause;

    /** Creates the routes. */
    public RelayApi(final BridgeSettings settings, final RelayAuthorizer authorizer, final RobotRegistry registry,
                    final Pause pause) {
        // Several relays: each adds ?relay=<name> to its auth address and is answered for its own robots only.
        this.authorizer = authorizer;
        this.registry = registry;
        this.callers = Set.copyOf(settings.relayCallers());
        this.pause = pause;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/relay/auth", this::auth)
                .post("/relay/available", (req, res) -> availability(req, res, true))
                .post("/relay/unavailable", (req, res) -> availability(req, res, false))
                .any("/relay/auth", Routes::methodNotAllowed)
                .any("/relay/available", Routes::methodNotAllowed)
                .any("/relay/unavailable", Routes::methodNotAllowed);
    }

    private boolean callerAllowed(final ServerRequest req, final ServerResponse res) {
        if (callers.contains(Routes.peerAddress(req))) {
            return true;
        }
        JsonReplies.problem(res, Status.FORBIDDEN_403, "relay callbacks are not accepted from "
                + Routes.printable(Routes.peerAddress(req)) + " (see vigil.bridge.relay.allowed-callers)");
        return false;
    }

    private void availability(final ServerRequest req, final ServerResponse res, final boolean available) {
        if (!callerAllowed(req, res)) {
            return;
        }
        final String body = req.content().hasEntity() ? req.content().as(String.class) : "";
        final String path = RelayAuthorizer.normalise(req.query().first("path").asOptional()
                .orElseGet(() -> Forms.decode(body).getOrDefault("path", "")));
        if (path.isEmpty()) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "give the relay path as path=<path> (MediaMTX: $MTX_PATH)");
            return;
        }
        final String robot = registry.acceptRelayAvailability(path, available);
        if (robot == null) {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "no robot publishes to path '" + Routes.printable(path) + "'");
            return;
        }
        LOG.info("Relay: path '{}' of robot {} is {}", path, robot, available ? "available" : "unavailable");
        res.status(Status.NO_CONTENT_204).send();
    }

    private void auth(final ServerRequest req, final ServerResponse res) {
        if (!callerAllowed(req, res)) {
            return;
        }
        final Optional<JsonNode> body = parse(req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0]);
        if (body.isEmpty()) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "the body must be a JSON object (MediaMTX authMethod: http)");
            return;
        }
        final Optional<RelayAction> action = RelayAction.parse(text(body.get(), "action"));
        if (action.isEmpty()) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "action must be publish, read, playback, api, metrics or pprof");
            return;
        }
        for (final String field : new String[] {"path", "user", "password", "token", "query", "ip"}) {
            final JsonNode value = body.get().get(field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                JsonReplies.problem(res, Status.BAD_REQUEST_400, field + " must be a string");
                return;
            }
        }
        final Map<String, String> query = Forms.decode(Optional.ofNullable(text(body.get(), "query")).orElse(""));
        // The secret: a password, else a bearer token (MediaMTX passes "Authorization: Bearer" as
        // "token", as WHEP clients such as gst whepsrc send it), else ?token= or ?pass= in the query.
        final String secret = Stream.of(text(body.get(), "password"), text(body.get(), "token"),
                        query.get("token"), query.get("pass"))
                .filter(s -> s != null && !s.isEmpty()).findFirst().orElse(null);
        final String user = Stream.of(text(body.get(), "user"), query.get("user"))
                .filter(s -> s != null && !s.isEmpty()).findFirst().orElse(null);
        final RelayRequest request = new RelayRequest(action.get(), text(body.get(), "path"), user, secret,
                query.get("key"), text(body.get(), "ip"), req.query().first("relay").orElse(null));
        final RelayDecision decision = authorizer.decide(request);
        log(request, decision);
        pause.pause(decision.delay());
        if (decision.allowed()) {
            res.status(Status.NO_CONTENT_204).send();
        } else {
            JsonReplies.problem(res, Status.UNAUTHORIZED_401, decision.reason());
        }
    }

    /** The body as a JSON object, or empty when it is empty, not JSON, or not an object. */
    private static Optional<JsonNode> parse(final byte[] content) {
        if (content.length == 0) {
            return Optional.empty();
        }
        try {
            final JsonNode node = JsonReplies.MAPPER.readTree(content);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (final IOException e) {
            // Jackson's parse errors are IOExceptions: a malformed body is the caller's mistake, not ours.
            return Optional.empty();
        }
    }

    /** Logs a decision: one line, never the secret. */
    private static void log(final RelayRequest request, final RelayDecision decision) {
        final String action = request.action().name().toLowerCase(Locale.ROOT);
        if (decision.allowed()) {
            LOG.info("Relay: allowed {} of '{}' from {} ({})", action, Routes.printable(request.path()),
                    Routes.printable(request.client()), decision.reason());
        } else {
            LOG.warn("Relay: refused {} of '{}' from {}: {}", action, Routes.printable(request.path()),
                    Routes.printable(request.client()), decision.reason());
        }
    }

    private static String text(final JsonNode body, final String field) {
        final JsonNode node = body.get(field);
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
