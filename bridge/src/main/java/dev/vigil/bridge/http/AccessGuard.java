package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Credentials;
import dev.vigil.bridge.auth.FailureLimiter;
import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.observe.BridgeMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the {@code Authorization} header (Bearer or Basic) of a request against a needed role.
 * When it answers empty, it has already sent 401, 403 or 429.
 */
public final class AccessGuard {

    private static final String CHALLENGE = "Basic realm=\"vigil\", Bearer";
    /** For the web page's own requests: no Basic challenge, so the browser shows no login box over the page. */
    private static final String SCRIPT_CHALLENGE = "Bearer realm=\"vigil\"";
    private static final io.helidon.http.HeaderName REQUESTED_WITH = io.helidon.http.HeaderNames.create("X-Requested-With");

    private final Credentials credentials;
    private final FailureLimiter limiter;
    private final BridgeMetrics metrics;

    /** Creates the guard. */
    public AccessGuard(final Credentials credentials, final FailureLimiter limiter, final BridgeMetrics metrics) {
        this.credentials = credentials;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /** The caller, if it holds {@code needed}; otherwise the refusal has been sent. */
    public Optional<Principal> require(final ServerRequest req, final ServerResponse res, final Role needed) {
        final String address = Routes.peerAddress(req);
        final Optional<Duration> blocked = limiter.blockedFor(address);
        if (blocked.isPresent()) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, blocked.get().toSeconds() + 1)));
            JsonReplies.problem(res, Status.TOO_MANY_REQUESTS_429, "too many failed authentication attempts; retry later");
            return Optional.empty();
        }
        final Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        final Optional<Principal> principal = header.flatMap(this::principal);
        if (principal.isEmpty()) {
            metrics.authFailed();
            if (header.isPresent()) {
                limiter.failed(address);
            }
            res.header(HeaderNames.WWW_AUTHENTICATE, req.headers().contains(REQUESTED_WITH) ? SCRIPT_CHALLENGE : CHALLENGE);
            JsonReplies.problem(res, Status.UNAUTHORIZED_401, header.isPresent()
                    ? "invalid credentials" : "authentication required (Bearer token or Basic)");
            return Optional.empty();
        }
        limiter.succeeded(address);
        if (!principal.get().role().includes(needed)) {
            JsonReplies.problem(res, Status.FORBIDDEN_403,
                    "this needs the " + needed.name().toLowerCase(Locale.ROOT) + " role");
            return Optional.empty();
        }
        return principal;
    }

    private Optional<Principal> principal(final String header) {
        final int space = header.indexOf(' ');
        if (space <= 0) {
            return Optional.empty();
        }
        final String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        final String value = header.substring(space + 1).strip();
        return switch (scheme) {
            case "bearer" -> credentials.token(value);
            case "basic" -> basic(value);
            default -> Optional.empty();
        };
    }

    private Optional<Principal> basic(final String value) {
        final String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return Optional.empty();
        }
        final int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return credentials.user(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
