package dev.vigil.bridge.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict security headers on every answer: a Content-Security-Policy with no inline script and no
 * framing ({@code frame-ancestors 'none'}), {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: no-referrer}, {@code X-Frame-Options: DENY} for older browsers, and
 * {@code Cache-Control: no-store} on everything but the page's own files. The page may connect to
 * the relay's HLS and WebRTC origins (from {@code viewer-urls}) and nowhere else.
 */
public final class SecurityHeaders implements Filter {

    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    private static final HeaderName CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName OPENER_POLICY = HeaderNames.create("Cross-Origin-Opener-Policy");
    private static final HeaderName RESOURCE_POLICY = HeaderNames.create("Cross-Origin-Resource-Policy");

    private final ViewerUrls urls;

    /** Creates the filter; {@code urls} name the relay origins the page may reach. */
    public SecurityHeaders(final ViewerUrls urls) {
        this.urls = urls;
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest req, final RoutingResponse res) {
        res.header(CSP, policy(ViewerUrls.host(req)));
        res.header(CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(REFERRER_POLICY, "no-referrer");
        res.header(FRAME_OPTIONS, "DENY");
        res.header(OPENER_POLICY, "same-origin");
        res.header(RESOURCE_POLICY, "same-origin");
        if (!req.path().path().startsWith("/app/")) {
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
        }
        chain.proceed();
    }

    /** The policy for a page reached under {@code host}. */
    String policy(final String host) {
        final Set<String> relays = new TreeSet<>(urls.origins(host));
        final String connect = relays.isEmpty() ? "'self'" : "'self' " + String.join(" ", relays);
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " media-src 'self' blob:; worker-src 'self' blob:; connect-src " + connect + ";"
                + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    }
}
