package dev.vigil.bridge.http;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Fleet;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Small helpers shared by the route classes. */
final class Routes {

    private Routes() {
    }

    /** Answers 405 with a JSON detail. */
    static void methodNotAllowed(final ServerRequest req, final ServerResponse res) {
        JsonReplies.problem(res, Status.METHOD_NOT_ALLOWED_405,
                "method " + req.prologue().method().text() + " is not allowed on " + req.path().path());
    }

    /** The robot named by the {@code id} path parameter; answers 404 when there is none. */
    static Optional<RobotSettings> robot(final Fleet fleet, final ServerRequest req, final ServerResponse res) {
        final String id = req.path().pathParameters().first("id").orElse(null);
        final Optional<RobotSettings> robot = fleet.robot(id);
        if (robot.isEmpty()) {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "unknown robot '" + printable(id) + "'");
        }
        return robot;
    }

    /**
     * The {@code wait} query parameter: empty when absent, {@code null} when it is not a duration from
     * zero to {@code max} (then 400 has been sent).
     */
    static Optional<java.time.Duration> waitParam(final ServerRequest req, final ServerResponse res, final java.time.Duration max) {
        final java.time.Duration wait;
        try {
            wait = req.query().first("wait").asOptional().map(java.time.Duration::parse).orElse(null);
        } catch (final java.time.format.DateTimeParseException e) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "wait must be an ISO-8601 duration such as PT10S");
            return null;
        }
        if (wait != null && (wait.isNegative() || wait.compareTo(max) > 0)) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "wait must be between PT0S and " + max);
            return null;
        }
        return Optional.ofNullable(wait);
    }

    /**
     * The caller's IP address as text (127.0.0.1, 0:0:0:0:0:0:0:1). Not the peer's host(): over TLS
     * that is a name ("localhost"), which no allowed-callers entry or failure counter should depend on.
     */
    static String peerAddress(final ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress socket && socket.getAddress() != null
                ? socket.getAddress().getHostAddress() : req.remotePeer().host();
    }

    /** At most 64 printable characters of {@code text}, for error messages. */
    static String printable(final String text) {
        if (text == null) {
            return "";
        }
        final StringBuilder out = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
