package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Authenticator;
import dev.vigil.bridge.auth.Pause;
import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.observe.BridgeMetrics;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks who calls, against a needed role: {@code Authorization: Bearer <token>} or Basic, or the
 * web page's session cookie. The cookie counts only on requests that carry {@code X-Requested-With}
 * (a header no other site can make a browser send without a CORS preflight, which this bridge
 * never grants), so no other page can act with it. Passwords and tokens go through the throttle.
 * When it answers empty, it has already sent 401, 403 or 429.
 */
public final class AccessGuard {

    /** The web page's session cookie. */
    public static final String SESSION_COOKIE = "vigil_session";
    /** The header the page sends with every request (and that makes its cookie count). */
    public static final HeaderName REQUESTED_WITH = HeaderNames.create("X-Requested-With");
    private static final String CHALLENGE = "Basic realm=\"vigil\", Bearer";
    /** For the web page's own requests: no Basic challenge, so the browser shows no login box over the page. */
    private static final String SCRIPT_CHALLENGE = "Bearer realm=\"vigil\"";

    private final Authenticator authenticator;
    private final BridgeMetrics metrics;
    private final Pause pause;
    private final ClientAddress addresses;

    /**
     * Creates the guard; {@code pause} holds refusals back by the throttle's delay, which counts
     * failures by the address {@code addresses} gives each request.
     */
    public AccessGuard(final Authenticator authenticator, final BridgeMetrics metrics, final Pause pause,
                       final ClientAddress addresses) {
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.pause = pause;
        this.addresses = addresses;
    }

    /** The caller, if it holds {@code needed}; otherwise the refusal has been sent. */
    public Optional<Principal> require(final ServerRequest req, final ServerResponse res, final Role needed) {
        final Optional<Principal> principal = authenticate(req, res);
        if (principal.isPresent() && !principal.get().role().includes(needed)) {
            JsonReplies.problem(res, Status.FORBIDDEN_403,
                    "this needs the " + needed.name().toLowerCase(Locale.ROOT) + " role");
            return Optional.empty();
        }
        return principal;
    }

    /** The caller, whatever its role; otherwise 401 or 429 has been sent. */
    public Optional<Principal> authenticate(final ServerRequest req, final ServerResponse res) {
        final String address = addresses.of(req);
        final Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isPresent()) {
            return answer(req, res, fromHeader(header.get(), address), "invalid credentials");
        }
        final Optional<String> session = sessionToken(req);
        if (session.isPresent()) {
            final Optional<Principal> principal = authenticator.session(session.get());
            return principal.isPresent() ? principal
                    : answer(req, res, new Authenticator.Outcome.Refused(Duration.ZERO), "your session has ended; sign in again");
        }
        metrics.authFailed();
        challenge(req, res);
        JsonReplies.problem(res, Status.UNAUTHORIZED_401, "authentication required (Bearer token or Basic)");
        return Optional.empty();
    }

    /** The session token of the page's cookie, when the request may use it ({@code X-Requested-With}). */
    public static Optional<String> sessionToken(final ServerRequest req) {
        if (!req.headers().contains(REQUESTED_WITH)) {
            return Optional.empty();
        }
        final List<String> cookies = req.headers().all(HeaderNames.COOKIE, List::of);
        for (final String line : cookies) {
            for (final String pair : line.split(";")) {
                final int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(SESSION_COOKIE)) {
                    final String value = pair.substring(eq + 1).strip();
                    return value.isEmpty() ? Optional.empty() : Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Principal> answer(final ServerRequest req, final ServerResponse res,
                                       final Authenticator.Outcome outcome, final String refusal) {
        return switch (outcome) {
            case Authenticator.Outcome.Accepted accepted -> Optional.of(accepted.principal());
            case Authenticator.Outcome.Refused refused -> {
                metrics.authFailed();
                pause.pause(refused.delay());
                challenge(req, res);
                JsonReplies.problem(res, Status.UNAUTHORIZED_401, refusal);
                yield Optional.empty();
            }
            case Authenticator.Outcome.BackingOff off -> {
                metrics.authFailed();
                tooMany(res, off.retryAfter());
                yield Optional.empty();
            }
        };
    }

    /** Sends 429 with {@code Retry-After}. */
    static void tooMany(final ServerResponse res, final Duration retryAfter) {
        res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        JsonReplies.problem(res, Status.TOO_MANY_REQUESTS_429,
                "too many failed attempts for this account; it is not checked again before Retry-After");
    }

    private static void challenge(final ServerRequest req, final ServerResponse res) {
        res.header(HeaderNames.WWW_AUTHENTICATE, req.headers().contains(REQUESTED_WITH) ? SCRIPT_CHALLENGE : CHALLENGE);
    }

    private Authenticator.Outcome fromHeader(final String header, final String address) {
        final int space = header.indexOf(' ');
        if (space > 0) {
            final String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
            final String value = header.substring(space + 1).strip();
            if ("bearer".equals(scheme)) {
                return authenticator.token(value, address);
            }
            if ("basic".equals(scheme)) {
                final String decoded = decode(value);
                final int colon = decoded == null ? -1 : decoded.indexOf(':');
                if (colon >= 0) {
                    return authenticator.password(decoded.substring(0, colon), decoded.substring(colon + 1), address);
                }
            }
        }
        return new Authenticator.Outcome.Refused(authenticator.failedWithoutAccount(address));
    }

    private static String decode(final String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return null;
        }
    }
}
