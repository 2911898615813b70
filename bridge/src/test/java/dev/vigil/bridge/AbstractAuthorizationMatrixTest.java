package dev.vigil.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.relay.RelayKicker;
import dev.vigil.testkit.MutableClock;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every route, for each kind of caller, answers the status the API promises (issue 13, "an
 * authorization matrix"); bridge/README.md shows the same table, and this test checks that it does.
 *
 * <p>The callers: none (no credentials); wrong (the operator's name, a wrong password); viewer
 * (Basic); operator (bearer token); robot (the robot's publish user and password, as Basic); and
 * someone else's lease: on a view's own routes, another viewer (the viewer token) acting on a view
 * that the Basic viewer opened, elsewhere that view's relay key or id presented as a credential.
 * For {@code POST /session} the credentials go in the JSON body; for {@code /relay/auth} into the
 * relay's read question (the key: the view's lease id). Runs without a network
 * ({@link AuthorizationMatrixTest}) and against a real server ({@link AuthorizationMatrixIT}).
 */
abstract class AbstractAuthorizationMatrixTest {

    /** The columns, in the README's order. */
    enum Caller { NONE, WRONG, VIEWER, OPERATOR, ROBOT, OTHERS_LEASE }

    /** One row: how to call the route, and what each caller gets. */
    record Row(String route, Method method, String path, int none, int wrong, int viewer, int operator, int robot,
               int othersLease) {
        int expected(final Caller caller) {
            return switch (caller) {
                case NONE -> none;
                case WRONG -> wrong;
                case VIEWER -> viewer;
                case OPERATOR -> operator;
                case ROBOT -> robot;
                case OTHERS_LEASE -> othersLease;
            };
        }
    }

    static final List<Row> MATRIX = List.of(
            new Row("`GET /`", Method.GET, "/", 200, 200, 200, 200, 200, 200),
            new Row("`POST /stream/start`", Method.POST, "/stream/start", 401, 401, 403, 200, 401, 401),
            new Row("`POST /stream/stop`", Method.POST, "/stream/stop", 401, 401, 403, 200, 401, 401),
            new Row("`GET /me`", Method.GET, "/me", 401, 401, 200, 200, 401, 401),
            new Row("`POST /session`", Method.POST, "/session", 400, 401, 201, 201, 401, 401),
            new Row("`GET /session` (its cookie only)", Method.GET, "/session", 401, 401, 401, 401, 401, 401),
            new Row("`DELETE /session`", Method.DELETE, "/session", 204, 204, 204, 204, 204, 204),
            new Row("`GET /robots`", Method.GET, "/robots", 401, 401, 200, 200, 401, 401),
            new Row("`GET /robots/events`", Method.GET, "/robots/events", 401, 401, 200, 200, 401, 401),
            new Row("`GET /robots/{id}`", Method.GET, "/robots/default", 401, 401, 200, 200, 401, 401),
            new Row("`POST /robots/{id}/stream/start`", Method.POST, "/robots/default/stream/start", 401, 401, 403, 202, 401, 401),
            new Row("`POST /robots/{id}/stream/stop`", Method.POST, "/robots/default/stream/stop", 401, 401, 403, 202, 401, 401),
            new Row("`POST /robots/{id}/camera/disable`", Method.POST, "/robots/default/camera/disable", 401, 401, 403, 202, 401, 401),
            new Row("`POST /robots/{id}/camera/enable`", Method.POST, "/robots/default/camera/enable", 401, 401, 403, 202, 401, 401),
            new Row("`POST /robots/{id}/views`", Method.POST, "/robots/default/views", 401, 401, 201, 201, 401, 401),
            new Row("`PUT /robots/{id}/views/{lease}`", Method.PUT, "/robots/default/views/{lease}", 401, 401, 200, 200, 401, 404),
            new Row("`DELETE /robots/{id}/views/{lease}`", Method.DELETE, "/robots/default/views/{lease}", 401, 401, 204, 204, 401, 404),
            new Row("`GET /robots/{id}/snapshot.jpg`", Method.GET, "/robots/default/snapshot.jpg", 401, 401, 200, 200, 401, 401),
            new Row("`POST /robots/{id}/snapshot`", Method.POST, "/robots/default/snapshot", 401, 401, 202, 202, 401, 401),
            new Row("`POST /robots/{id}/motion/on`", Method.POST, "/robots/default/motion/on", 401, 401, 403, 202, 401, 401),
            new Row("`POST /robots/{id}/motion/off`", Method.POST, "/robots/default/motion/off", 401, 401, 403, 202, 401, 401),
            new Row("`GET /robots/{id}/recording`", Method.GET, "/robots/default/recording", 401, 401, 200, 200, 401, 401),
            new Row("`POST /robots/{id}/recording` (the robot offline)", Method.POST, "/robots/default/recording", 401, 401, 403, 409, 401, 401),
            new Row("`DELETE /robots/{id}/recording` (none running)", Method.DELETE, "/robots/default/recording", 401, 401, 403, 404, 401, 401),
            new Row("`GET /observe/metrics`", Method.GET, "/observe/metrics", 401, 401, 200, 200, 401, 401),
            new Row("`GET /registry/robots`", Method.GET, "/registry/robots", 401, 401, 403, 200, 401, 401),
            new Row("`DELETE /registry/robots/{id}` (none there)", Method.DELETE, "/registry/robots/ghost", 401, 401, 403, 404, 401, 401),
            new Row("`GET /registry/users`", Method.GET, "/registry/users", 401, 401, 403, 200, 401, 401),
            new Row("`GET /registry/tokens`", Method.GET, "/registry/tokens", 401, 401, 403, 200, 401, 401),
            new Row("`GET /app/`", Method.GET, "/app/", 200, 200, 200, 200, 200, 200),
            new Row("`POST /relay/auth` (a read of the robot's path)", Method.POST, "/relay/auth", 401, 401, 204, 204, 401, 401),
            new Row("`POST /relay/available`", Method.POST, "/relay/available", 204, 204, 204, 204, 204, 204));

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Recording is configured (a relay that is never reached here), and the default robot has a picture. */
    static final Bridge BRIDGE = Bridge.withSink(TestConfigs.settings("""
            vigil.bridge.relay.api { url = "http://127.0.0.1:9", user = "vigil-bridge", password = "unused-Pass-1" }
            vigil.bridge.recording { enabled = true, relay-playback = "http://127.0.0.1:9" }
            """), CLOCK, new RecordingSink(), d -> { }, RelayKicker.NONE);

    static {
        final byte[] jpeg = new byte[64];
        jpeg[0] = (byte) 0xff;
        jpeg[1] = (byte) 0xd8;
        jpeg[62] = (byte) 0xff;
        jpeg[63] = (byte) 0xd9;
        BRIDGE.registry().accept("robot/stream/snapshot", jpeg);
    }

    private final RouteClient client;
    private final Http1Client raw;

    AbstractAuthorizationMatrixTest(final Http1Client client) {
        this.client = new RouteClient(client);
        this.raw = client;
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    @Test
    void everyRoute_answersItsStatus_forEveryCaller() throws Exception {
        final List<String> wrong = new ArrayList<>();
        for (final Row row : MATRIX) {
            for (final Caller caller : Caller.values()) {
                final int status = call(row, caller);
                if (status != row.expected(caller)) {
                    wrong.add(row.route() + " as " + caller + ": " + status + ", expected " + row.expected(caller));
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void readme_showsTheSameTable() throws Exception {
        final String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        final String table = table();
        assertTrue(readme.contains(table), "bridge/README.md does not hold this table:\n" + table);
    }

    /** The matrix as the README writes it. */
    static String table() {
        final StringBuilder out = new StringBuilder(
                "| route | none | wrong | viewer | operator | robot | someone else's lease |\n|---|---|---|---|---|---|---|\n");
        for (final Row row : MATRIX) {
            out.append("| ").append(row.route());
            for (final Caller caller : Caller.values()) {
                out.append(" | ").append(row.expected(caller));
            }
            out.append(" |\n");
        }
        return out.toString();
    }

    /** Calls {@code row} as {@code caller} from a clean state (no hold, no view, nothing throttled). */
    private int call(final Row row, final Caller caller) throws Exception {
        CLOCK.advance(Duration.ofHours(1));
        TestConfigs.idle(BRIDGE);
        // A view of the Basic viewer: its id is the path's {lease}, its key a credential to present.
        final RouteClient.Reply view = client.call(Method.POST, "/robots/default/views",
                RouteClient.basic(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD));
        assertEquals(201, view.status(), view.body());
        final String lease = view.json().get("lease").asText();
        final String key = view.json().get("key").asText();
        final String path = row.path().replace("{lease}", lease);
        final boolean leaseRoute = row.path().contains("{lease}");
        final String auth = switch (caller) {
            case NONE -> null;
            case WRONG -> RouteClient.basic(TestConfigs.OPERATOR, "not-the-password");
            case VIEWER -> RouteClient.basic(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
            case OPERATOR -> RouteClient.bearer(TestConfigs.OPERATOR_TOKEN);
            case ROBOT -> RouteClient.basic(TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD);
            case OTHERS_LEASE -> leaseRoute ? RouteClient.bearer(TestConfigs.VIEWER_TOKEN) : RouteClient.basic("lease", key);
        };
        if ("/session".equals(path) && row.method() == Method.POST) {
            return client.call(Method.POST, "/session", Map.of("X-Requested-With", "vigil-app"), sessionBody(caller, key)).status();
        }
        if ("/relay/auth".equals(path)) {
            return client.relay(readQuestion(caller, lease)).status();
        }
        if ("/relay/available".equals(path)) {
            return client.call(Method.POST, path, headers(auth), "path=live/stream").status();
        }
        if ("/robots/events".equals(path)) {
            return statusOnly(path, auth);
        }
        return client.call(row.method(), path, headers(auth), null).status();
    }

    private static Map<String, String> headers(final String auth) {
        final Map<String, String> headers = new LinkedHashMap<>();
        if (auth != null) {
            headers.put("Authorization", auth);
        }
        return headers;
    }

    private static String sessionBody(final Caller caller, final String key) {
        return switch (caller) {
            case NONE -> "";
            case WRONG -> "{\"user\":\"%s\",\"password\":\"wrong\"}".formatted(TestConfigs.OPERATOR);
            case VIEWER -> "{\"user\":\"%s\",\"password\":\"%s\"}".formatted(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
            case OPERATOR -> "{\"user\":\"\",\"password\":\"%s\"}".formatted(TestConfigs.OPERATOR_TOKEN);
            case ROBOT -> "{\"user\":\"%s\",\"password\":\"%s\"}".formatted(TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD);
            case OTHERS_LEASE -> "{\"user\":\"lease\",\"password\":\"%s\"}".formatted(key);
        };
    }

    private static String readQuestion(final Caller caller, final String lease) {
        final String[] credentials = switch (caller) {
            case NONE -> new String[] {"", ""};
            case WRONG -> new String[] {TestConfigs.OPERATOR, "wrong"};
            case VIEWER -> new String[] {TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD};
            case OPERATOR -> new String[] {"", TestConfigs.OPERATOR_TOKEN};
            case ROBOT -> new String[] {TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD};
            case OTHERS_LEASE -> new String[] {"lease", lease};
        };
        return "{\"action\":\"read\",\"path\":\"live/stream\",\"protocol\":\"rtsp\",\"user\":\"%s\",\"password\":\"%s\",\"ip\":\"10.3.3.3\"}"
                .formatted(credentials[0], credentials[1]);
    }

    /** The status of a response that streams (Server-Sent Events), without reading its body. */
    private int statusOnly(final String path, final String auth) {
        var request = raw.get(path);
        if (auth != null) {
            request = request.header(HeaderNames.AUTHORIZATION, auth);
        }
        try (Http1ClientResponse res = request.request()) {
            return res.status().code();
        }
    }
}
