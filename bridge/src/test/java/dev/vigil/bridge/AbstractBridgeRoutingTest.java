package dev.vigil.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.protocol.Command;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's routes with a fake broker. Runs twice: without a network ({@link BridgeRoutingTest})
 * and against a real server ({@link BridgeRoutingIT}).
 */
abstract class AbstractBridgeRoutingTest {

    static final RecordingSink SINK = new RecordingSink();
    static final Bridge BRIDGE = Bridge.withSink(TestConfigs.settings(""), Clock.systemUTC(), SINK);

    private final RouteClient client;

    AbstractBridgeRoutingTest(final Http1Client client) {
        this.client = new RouteClient(client);
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    /** Each test starts with no hold, no view and nothing sent. */
    @BeforeEach
    void resetSink() throws Exception {
        TestConfigs.idle(BRIDGE);
        SINK.reset();
    }

    /** An answer with the one header a test asked for. */
    record Reply(int status, String body, String header) {
        JsonNode json() {
            return RouteClient.json(body);
        }
    }

    Reply call(final Method method, final String path, final String auth, final String body, final String header) {
        final RouteClient.Reply reply = client.call(method, path, auth == null ? Map.of() : Map.of("Authorization", auth), body);
        return new Reply(reply.status(), reply.body(), header == null ? null : reply.header(header));
    }

    Reply call(final Method method, final String path, final String auth) {
        return call(method, path, auth, null, null);
    }

    static String bearer(final String token) {
        return RouteClient.bearer(token);
    }

    static String basic(final String user, final String password) {
        return RouteClient.basic(user, password);
    }

    @Test
    void root_answersOriginalMessage_withoutAuth() {
        final Reply reply = call(Method.GET, "/", null);
        assertEquals(200, reply.status());
        assertEquals("{\"msg\":\"Media bridge service running!\"}", reply.body());
    }

    @Test
    void streamStart_publishesPlainStart_forOperatorToken() {
        final Reply reply = call(Method.POST, "/stream/start", bearer(TestConfigs.OPERATOR_TOKEN));
        assertEquals(200, reply.status());
        assertEquals("{\"msg\":\"Published start\"}", reply.body());
        assertEquals(1, SINK.sent().size());
        assertEquals("robot/stream", SINK.sent().get(0).topic());
        assertEquals("start", new String(SINK.sent().get(0).command().toPayload(), StandardCharsets.UTF_8));
    }

    @Test
    void streamStop_publishesPlainStop_forOperatorBasic() {
        final Reply reply = call(Method.POST, "/stream/stop", basic(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD));
        assertEquals(200, reply.status());
        assertEquals("{\"msg\":\"Published stop\"}", reply.body());
        assertEquals(Command.stop(), SINK.sent().get(0).command());
    }

    @Test
    void streamStart_401WithChallenge_withoutCredentials() {
        final Reply reply = call(Method.POST, "/stream/start", null, null, "WWW-Authenticate");
        assertEquals(401, reply.status());
        assertEquals("Basic realm=\"vigil\", Bearer", reply.header());
        assertTrue(SINK.sent().isEmpty());
    }

    @Test
    void streamStart_401_withWrongTokenOrPassword() {
        assertEquals(401, call(Method.POST, "/stream/start", bearer("not-a-token")).status());
        final Reply wrongPassword = call(Method.POST, "/stream/start", basic(TestConfigs.OPERATOR, "wrong-Password9"));
        assertEquals(401, wrongPassword.status());
        assertFalse(wrongPassword.body().contains("wrong-Password9"));
        assertEquals(401, call(Method.POST, "/stream/start", "Basic %%%notbase64").status());
        assertEquals(401, call(Method.POST, "/stream/start", "Digest abc").status());
        assertTrue(SINK.sent().isEmpty());
    }

    @Test
    void me_namesUserAndRole_forEachCredential() {
        final Reply operator = call(Method.GET, "/me", basic(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD));
        assertEquals(200, operator.status());
        assertEquals("operator", operator.json().get("role").asText());
        assertEquals(TestConfigs.OPERATOR, operator.json().get("user").asText());
        assertEquals("viewer", call(Method.GET, "/me", bearer(TestConfigs.VIEWER_TOKEN)).json().get("role").asText());
        assertEquals(401, call(Method.GET, "/me", null).status());
    }

    @Test
    void streamStart_403_forViewer() {
        assertEquals(403, call(Method.POST, "/stream/start", bearer(TestConfigs.VIEWER_TOKEN)).status());
        assertEquals(403, call(Method.POST, "/robots/default/stream/start",
                basic(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD)).status());
        assertTrue(SINK.sent().isEmpty());
    }

    @Test
    void streamStart_502WithDetail_whenBrokerRefuses() {
        SINK.mode(RecordingSink.Mode.REFUSING, "PUBACK reason NOT_AUTHORIZED");
        final Reply reply = call(Method.POST, "/stream/start", bearer(TestConfigs.OPERATOR_TOKEN));
        assertEquals(502, reply.status());
        assertEquals("Failed to publish MQTT message: PUBACK reason NOT_AUTHORIZED", reply.json().get("detail").asText());
        assertFalse(reply.body().contains(TestConfigs.OPERATOR_TOKEN));
    }

    @Test
    void streamStart_503WithRetryAfter_whenBrokerDisconnected() {
        SINK.mode(RecordingSink.Mode.DISCONNECTED, "");
        final Reply reply = call(Method.POST, "/stream/start", bearer(TestConfigs.OPERATOR_TOKEN), null, "Retry-After");
        assertEquals(503, reply.status());
        assertTrue(Integer.parseInt(reply.header()) >= 1);
        assertTrue(reply.json().get("detail").asText().startsWith("Failed to publish MQTT message: "));
    }

    @Test
    void robots_listsBothRobotsWithUrls_forViewer() {
        final Reply reply = call(Method.GET, "/robots", bearer(TestConfigs.VIEWER_TOKEN));
        assertEquals(200, reply.status());
        final JsonNode robots = reply.json().get("robots");
        assertEquals(2, robots.size());
        assertEquals("default", robots.get(0).get("id").asText());
        assertEquals("unknown", robots.get(0).get("state").asText());
        assertEquals("rtmp://relay.test/live/stream", robots.get(0).get("urls").get("rtmp").asText());
        assertEquals("http://relay.test/hls/r2.m3u8", robots.get(1).get("urls").get("hls").asText());
        assertEquals(401, call(Method.GET, "/robots", null).status());
    }

    @Test
    void robot_404_whenUnknown() {
        final Reply reply = call(Method.GET, "/robots/nobody", bearer(TestConfigs.VIEWER_TOKEN));
        assertEquals(404, reply.status());
        assertEquals("unknown robot 'nobody'", reply.json().get("detail").asText());
        assertEquals(404, call(Method.POST, "/robots/nobody/stream/start", bearer(TestConfigs.OPERATOR_TOKEN)).status());
    }

    @Test
    void robotStart_publishesOnFleetTopic_forSecondRobot() {
        final Reply reply = call(Method.POST, "/robots/r2/stream/start", bearer(TestConfigs.OPERATOR_TOKEN));
        assertEquals(202, reply.status());
        assertEquals("robots/r2/stream", SINK.sent().get(0).topic());
    }

    @Test
    void robotStart_400_forBadWait() {
        assertEquals(400, call(Method.POST, "/robots/default/stream/start?wait=soon", bearer(TestConfigs.OPERATOR_TOKEN)).status());
        assertEquals(400, call(Method.POST, "/robots/default/stream/start?wait=PT1H", bearer(TestConfigs.OPERATOR_TOKEN)).status());
        assertTrue(SINK.sent().isEmpty());
    }

    @Test
    void robotStart_504WithState_whenRobotNeverStreams() {
        final Reply reply = call(Method.POST, "/robots/r2/stream/start?wait=PT0.3S", bearer(TestConfigs.OPERATOR_TOKEN));
        assertEquals(504, reply.status(), reply.body());
        assertEquals("r2", reply.json().get("robot").asText());
        assertTrue(reply.json().has("lastError"));
        assertTrue(SINK.sent().get(0).command().request().isPresent());
    }

    @Test
    void wrongMethod_405Json_onKnownPaths() {
        final Reply reply = call(Method.DELETE, "/stream/start", bearer(TestConfigs.OPERATOR_TOKEN));
        assertEquals(405, reply.status());
        assertTrue(reply.json().get("detail").asText().contains("DELETE"));
        assertEquals(405, call(Method.GET, "/stream/stop", null).status());
        assertEquals(405, call(Method.PUT, "/robots", null).status());
    }

    @Test
    void relayAuth_400WithOneLineReason_forMalformedOrEmptyBody() {
        for (final String body : new String[] {"{not json", "[1,2]", "", "null", "{\"action\":\"dance\"}", "{}",
                "{\"action\":{\"x\":1}}"}) {
            final Reply bad = call(Method.POST, "/relay/auth", null, body, null);
            assertEquals(400, bad.status(), body + " -> " + bad.body());
            assertFalse(bad.json().get("detail").asText().contains("\n"), bad.body());
        }
    }

    @Test
    void relayAuth_allowsRead_forBearerTokenAsWhepClientsSendIt() {
        assertEquals(204, call(Method.POST, "/relay/auth", null, "{\"action\":\"read\",\"path\":\"live/stream\",\"user\":\"\","
                + "\"password\":\"\",\"token\":\"" + TestConfigs.VIEWER_TOKEN + "\",\"protocol\":\"webrtc\"}", null).status());
        assertEquals(401, call(Method.POST, "/relay/auth", null, "{\"action\":\"read\",\"path\":\"live/stream\",\"user\":\"\","
                + "\"password\":\"\",\"token\":\"not-a-token\",\"protocol\":\"webrtc\"}", null).status());
    }

    @Test
    void relayAvailability_showsOnTheRobot_untilTheRelaySaysUnavailable() {
        assertEquals(204, call(Method.POST, "/relay/available", null, "path=live/r2", null).status());
        assertTrue(call(Method.GET, "/robots/r2", bearer(TestConfigs.VIEWER_TOKEN)).json().get("relayAvailable").asBoolean());
        assertTrue(call(Method.GET, "/robots/default", bearer(TestConfigs.VIEWER_TOKEN)).json().get("relayAvailable").isNull(),
                "nothing said of the default robot: unknown");
        assertEquals(204, call(Method.POST, "/relay/unavailable?path=/live/r2", null).status());
        assertFalse(call(Method.GET, "/robots/r2", bearer(TestConfigs.VIEWER_TOKEN)).json().get("relayAvailable").asBoolean());
    }

    @Test
    void relayAvailability_404ForUnknownPath_400WithoutPath() {
        final Reply unknown = call(Method.POST, "/relay/available", null, "path=live/nobody", null);
        assertEquals(404, unknown.status(), unknown.body());
        final Reply missing = call(Method.POST, "/relay/available", null, "", null);
        assertEquals(400, missing.status(), missing.body());
        assertTrue(missing.json().get("detail").asText().contains("path="), missing.body());
        assertEquals(405, call(Method.GET, "/relay/available", null).status());
    }

    @Test
    void relayAuth_401_forReaderOrPublisherWithoutCredentials() {
        assertEquals(401, call(Method.POST, "/relay/auth", null,
                "{\"action\":\"read\",\"path\":\"live/stream\",\"user\":\"\",\"password\":\"\",\"protocol\":\"rtsp\",\"query\":\"\"}", null).status());
        assertEquals(401, call(Method.POST, "/relay/auth", null,
                "{\"action\":\"publish\",\"path\":\"live/stream\",\"user\":\"\",\"password\":\"\",\"protocol\":\"rtmp\"}", null).status());
    }

    @Test
    void relayAuth_apiMetricsPprof_onlyForOperator() {
        for (final String action : new String[] {"api", "metrics", "pprof"}) {
            final String asOperator = "{\"action\":\"%s\",\"path\":\"\",\"user\":\"%s\",\"password\":\"%s\"}"
                    .formatted(action, TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD);
            assertEquals(204, call(Method.POST, "/relay/auth", null, asOperator, null).status(), action);
            final String asViewer = "{\"action\":\"%s\",\"path\":\"\",\"user\":\"%s\",\"password\":\"%s\"}"
                    .formatted(action, TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
            assertEquals(401, call(Method.POST, "/relay/auth", null, asViewer, null).status(), action);
            assertEquals(401, call(Method.POST, "/relay/auth", null, "{\"action\":\"%s\",\"path\":\"\"}".formatted(action), null).status());
        }
    }

    @Test
    void relayAuth_allowsOwnPathOnly_forRobotPassword() {
        final String own = "{\"action\":\"publish\",\"path\":\"live/stream\",\"user\":\"%s\",\"password\":\"%s\",\"ip\":\"10.0.0.5\"}"
                .formatted(TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD);
        assertEquals(202, call(Method.POST, "/robots/default/stream/start", bearer(TestConfigs.OPERATOR_TOKEN)).status());
        assertEquals(204, call(Method.POST, "/relay/auth", null, own, null).status());
        final String other = own.replace("live/stream", "live/r2");
        assertEquals(401, call(Method.POST, "/relay/auth", null, other, null).status());
        final String wrong = own.replace(TestConfigs.ROBOT_PASSWORD, "guess");
        final Reply refused = call(Method.POST, "/relay/auth", null, wrong, null);
        assertEquals(401, refused.status());
        assertFalse(refused.body().contains("guess"));
    }

    @Test
    void relayAuth_allowsRead_forViewerAndRefusesAnonymous() {
        final String viewer = "{\"action\":\"read\",\"path\":\"live/r2\",\"user\":\"%s\",\"password\":\"%s\"}"
                .formatted(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
        assertEquals(204, call(Method.POST, "/relay/auth", null, viewer, null).status());
        assertEquals(401, call(Method.POST, "/relay/auth", null, "{\"action\":\"read\",\"path\":\"live/r2\"}", null).status());
        assertEquals(401, call(Method.POST, "/relay/auth", null,
                "{\"action\":\"read\",\"path\":\"live/nobody\",\"password\":\"%s\"}".formatted(TestConfigs.VIEWER_TOKEN), null).status());
    }

    @Test
    void views_openRenewRelease_sendsLeasedStartThenNothingMore() {
        final Reply opened = call(Method.POST, "/robots/r2/views", bearer(TestConfigs.VIEWER_TOKEN));
        assertEquals(201, opened.status());
        final String lease = opened.json().get("lease").asText();
        final String key = opened.json().get("key").asText();
        assertEquals(204, call(Method.POST, "/relay/auth", null,
                "{\"action\":\"read\",\"path\":\"live/r2\",\"user\":\"lease\",\"password\":\"%s\"}".formatted(key), null).status());
        assertEquals(204, call(Method.POST, "/relay/auth", null,
                "{\"action\":\"read\",\"path\":\"live/r2\",\"query\":\"key=%s\"}".formatted(key), null).status());
        assertEquals(401, call(Method.POST, "/relay/auth", null,
                "{\"action\":\"read\",\"path\":\"live/r2\",\"user\":\"lease\",\"password\":\"%s\"}".formatted(lease), null).status(),
                "the lease id, which the access log shows, reads the stream");
        assertEquals("PT2S", opened.json().get("ttl").asText());
        assertEquals("rtmp://relay.test/live/r2", opened.json().get("urls").get("rtmp").asText());
        final Command start = SINK.sent().get(0).command();
        assertEquals(Command.Kind.START, start.kind());
        assertTrue(start.leaseDuration().isPresent());
        assertEquals(200, call(Method.PUT, "/robots/r2/views/" + lease, bearer(TestConfigs.VIEWER_TOKEN)).status());
        assertEquals(204, call(Method.DELETE, "/robots/r2/views/" + lease, bearer(TestConfigs.VIEWER_TOKEN)).status());
        await().atMost(Duration.ofSeconds(3)).until(() -> SINK.sent().stream()
                .anyMatch(s -> s.command().equals(Command.release(Command.VIEWS))));
        assertEquals(404, call(Method.PUT, "/robots/r2/views/" + lease, bearer(TestConfigs.VIEWER_TOKEN)).status());
        assertEquals(404, call(Method.DELETE, "/robots/r2/views/nope", bearer(TestConfigs.VIEWER_TOKEN)).status());
    }

    /** Weakness 4: one viewer cannot fill every view slot of a robot. */
    @Test
    void views_oneViewerHoldsAtMostItsCap_andOthersStillOpen() {
        int opened = 0;
        int refused = 0;
        for (int i = 0; i < 100; i++) {
            final int status = call(Method.POST, "/robots/default/views", bearer(TestConfigs.VIEWER_TOKEN)).status();
            opened += status == 201 ? 1 : 0;
            refused += status == 429 ? 1 : 0;
        }
        assertEquals(5, opened, "views.max-per-user");
        assertEquals(95, refused);
        final Reply operator = call(Method.POST, "/robots/default/views", bearer(TestConfigs.OPERATOR_TOKEN));
        assertEquals(201, operator.status(), "the operator's view is refused after one viewer's flood: " + operator.body());
        assertEquals(201, call(Method.POST, "/robots/default/views", basic(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD)).status(),
                "another viewer's view is refused");
    }

    /** Weakness 5: a viewer cannot renew or release someone else's view by its id; an operator can. */
    @Test
    void views_someoneElsesLeaseId_neitherRenewsNorReleases() {
        final String lease = call(Method.POST, "/robots/r2/views", bearer(TestConfigs.VIEWER_TOKEN)).json().get("lease").asText();
        final String otherViewer = basic(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
        assertEquals(404, call(Method.PUT, "/robots/r2/views/" + lease, otherViewer).status());
        assertEquals(404, call(Method.DELETE, "/robots/r2/views/" + lease, otherViewer).status());
        assertEquals(200, call(Method.PUT, "/robots/r2/views/" + lease, bearer(TestConfigs.VIEWER_TOKEN)).status(),
                "the owner's lease was touched by someone else");
        assertEquals(204, call(Method.DELETE, "/robots/r2/views/" + lease, bearer(TestConfigs.OPERATOR_TOKEN)).status());
    }

    /** Weakness 9: strict security headers on the page, the API and its errors, and a policy with no inline script. */
    @Test
    void everyAnswer_carriesStrictSecurityHeaders() {
        for (final String path : new String[] {"/app/", "/app/app.js", "/robots", "/nowhere", "/"}) {
            final RouteClient.Reply reply = client.call(Method.GET, path, Map.of(), null);
            final String csp = reply.header("Content-Security-Policy");
            assertTrue(csp != null && csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'")
                    && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), path + ": " + csp);
            assertTrue(csp.matches(".*connect-src 'self' [^;]*http://relay.test[;\\s].*"), path + ": the relay's HLS origin is missing: " + csp);
            assertEquals("nosniff", reply.header("X-Content-Type-Options"), path);
            assertEquals("no-referrer", reply.header("Referrer-Policy"), path);
            assertEquals("DENY", reply.header("X-Frame-Options"), path);
        }
        assertEquals("no-store", client.call(Method.GET, "/robots", Map.of(), null).header("Cache-Control"));
    }

    @Test
    void page_hasNoInlineScriptOrStyle() throws Exception {
        final String html;
        try (var in = getClass().getClassLoader().getResourceAsStream("vigil-app/index.html")) {
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertFalse(html.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), "an inline <script>");
        assertFalse(html.matches("(?s).*\\son[a-z]+\\s*=.*"), "an inline event handler");
        assertFalse(html.matches("(?s).*\\sstyle\\s*=.*"), "an inline style");
    }

    @Test
    void metrics_countRequestsAndPublishes_forViewer() {
        call(Method.GET, "/", null);
        final Reply reply = call(Method.GET, "/observe/metrics", bearer(TestConfigs.VIEWER_TOKEN));
        assertEquals(200, reply.status());
        assertTrue(reply.body().contains("vigil_bridge_requests_total "));
        assertTrue(reply.body().contains("vigil_bridge_robots_streaming 0"));
    }

    @Test
    void app_redirectsToSlash() {
        final Reply reply = call(Method.GET, "/app", null, null, "Location");
        assertEquals(301, reply.status());
        assertEquals("/app/", reply.header());
    }
}
