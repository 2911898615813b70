package dev.vigil.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.bridge.auth.Authenticator;
import dev.vigil.bridge.auth.Pause;
import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.SessionStore;
import dev.vigil.bridge.auth.Sessions;
import dev.vigil.bridge.config.SessionSettings;
import dev.vigil.bridge.observe.BridgeMetrics;
import dev.vigil.bridge.relay.Forms;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /session}: the web page's sign-in. {@code POST} takes {@code {"user","password"}} (JSON or a
 * form; an empty user with a bearer token as the password works too) and answers 201 with an
 * HttpOnly, SameSite=Strict (and Secure) cookie holding a random session token; the page never sees
 * the token or keeps the password. {@code GET} says who the cookie's session is; {@code DELETE}
 * signs out: the session is revoked on the bridge and the cookie cleared. The cookie counts only
 * with {@code X-Requested-With} (see {@link AccessGuard}).
 */
public final class SessionApi implements HttpService {

    private static final int MAX_FIELD = 1024;

    private final Authenticator authenticator;
    private final Sessions sessions;
    private final SessionSettings settings;
    private final BridgeMetrics metrics;
    private final Pause pause;
    private final ClientAddress addresses;

    /** Creates the routes. */
    public SessionApi(final Authenticator authenticator, final Sessions sessions, final SessionSettings settings,
                      final BridgeMetrics metrics, final Pause pause, final ClientAddress addresses) {
        this.authenticator = authenticator;
        this.addresses = addresses;
        this.sessions = sessions;
        this.settings = settings;
        this.metrics = metrics;
        this.pause = pause;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/session", this::signIn)
                .get("/session", this::show)
                .delete("/session", this::signOut)
                .any("/session", Routes::methodNotAllowed);
    }

    private void signIn(final ServerRequest req, final ServerResponse res) {
        if (!req.headers().contains(AccessGuard.REQUESTED_WITH)) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "sign in from the page (X-Requested-With is missing)");
            return;
        }
        final Optional<Map<String, String>> fields = fields(req);
        if (fields.isEmpty()) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "the body must be {\"user\": \"...\", \"password\": \"...\"}");
            return;
        }
        final String user = fields.get().getOrDefault("user", "").strip();
        final String password = fields.get().getOrDefault("password", "");
        if (password.isEmpty() || user.length() > MAX_FIELD || password.length() > MAX_FIELD) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "give a user and a password (or a token)");
            return;
        }
        final Authenticator.Outcome outcome = authenticator.userOrToken(user.isEmpty() ? null : user, password,
                addresses.of(req));
        switch (outcome) {
            case Authenticator.Outcome.Accepted accepted -> issue(res, accepted.principal());
            case Authenticator.Outcome.Refused refused -> {
                metrics.authFailed();
                pause.pause(refused.delay());
                JsonReplies.problem(res, Status.UNAUTHORIZED_401, "wrong user or password");
            }
            case Authenticator.Outcome.BackingOff off -> {
                metrics.authFailed();
                AccessGuard.tooMany(res, off.retryAfter());
            }
        }
    }

    private void issue(final ServerResponse res, final Principal principal) {
        final Optional<Sessions.Issued> issued = sessions.create(principal);
        if (issued.isEmpty()) {
            JsonReplies.unavailable(res, Duration.ofSeconds(30), "too many sessions are open; try again later");
            return;
        }
        res.header(HeaderNames.SET_COOKIE, cookie(issued.get().token(), null));
        JsonReplies.send(res, Status.CREATED_201, describe(issued.get().session()));
    }

    private void show(final ServerRequest req, final ServerResponse res) {
        final Optional<SessionStore.Session> session = AccessGuard.sessionToken(req).flatMap(sessions::use);
        if (session.isEmpty()) {
            JsonReplies.problem(res, Status.UNAUTHORIZED_401, "not signed in");
            return;
        }
        JsonReplies.send(res, Status.OK_200, describe(session.get()));
    }

    private void signOut(final ServerRequest req, final ServerResponse res) {
        AccessGuard.sessionToken(req).ifPresent(sessions::revoke);
        res.header(HeaderNames.SET_COOKIE, cookie("", Duration.ZERO));
        res.status(Status.NO_CONTENT_204).send();
    }

    /** The cookie: HttpOnly (no script reads it), SameSite=Strict, Secure unless configured otherwise. */
    private String cookie(final String value, final Duration maxAge) {
        return AccessGuard.SESSION_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict"
                + (settings.secureCookie() ? "; Secure" : "") + (maxAge == null ? "" : "; Max-Age=" + maxAge.toSeconds());
    }

    private static Map<String, Object> describe(final SessionStore.Session session) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", session.principal().name());
        body.put("role", session.principal().role().name().toLowerCase(Locale.ROOT));
        body.put("expires", session.expires().toString());
        return body;
    }

    /** {@code user} and {@code password} from a JSON object or a form; empty when the body is neither. */
    private static Optional<Map<String, String>> fields(final ServerRequest req) {
        final byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        final String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                final JsonNode node = JsonReplies.MAPPER.readTree(body);
                if (node == null || !node.isObject()) {
                    return Optional.empty();
                }
                final Map<String, String> out = new LinkedHashMap<>();
                for (final String name : new String[] {"user", "password"}) {
                    final JsonNode value = node.get(name);
                    if (value != null && !value.isTextual() && !value.isNull()) {
                        return Optional.empty();
                    }
                    out.put(name, value == null || value.isNull() ? "" : value.asText());
                }
                return Optional.of(out);
            } catch (final IOException e) {
                return Optional.empty();
            }
        }
        final Map<String, String> form = Forms.decode(text);
        return form.containsKey("password") ? Optional.of(form) : Optional.empty();
    }
}
