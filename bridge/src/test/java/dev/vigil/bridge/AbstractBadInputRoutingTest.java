package dev.vigil.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Bad input on every route answers a 4xx with a one-line reason, never a 5xx, and leaves no stack
 * trace in the log (issue 13's weakness 8 and "no 5xx for bad input"). Runs without a network
 * ({@link BadInputRoutingTest}) and against a real server ({@link BadInputRoutingIT}).
 */
abstract class AbstractBadInputRoutingTest {

    static final Bridge BRIDGE = Bridge.withSink(TestConfigs.settings(""), Clock.systemUTC(), new RecordingSink());
    private static final String OPERATOR = RouteClient.bearer(TestConfigs.OPERATOR_TOKEN);
    private static final String[] BAD_BODIES = {"", " ", "{", "}", "[1,2]", "null", "42", "\"text\"", "{\"action\":",
            "{}", "{\"action\":\"dance\"}", "{\"action\":{\"x\":1}}", "{\"action\":\"read\",\"path\":[1]}",
            "\u0000\u0001\u0002", "a=b&c", "path=", "%zz", "{\"action\":\"read\",\"path\":\"live/stream\",\"query\":\"%zz=%\"}"};

    private final RouteClient client;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    AbstractBadInputRoutingTest(final Http1Client client) {
        this.client = new RouteClient(client);
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    @BeforeEach
    void captureLog() {
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void noStackTraceOrErrorLogged() {
        root().detachAppender(log);
        for (final ILoggingEvent event : log.list) {
            assertTrue(event.getThrowableProxy() == null, "a stack trace in the log: " + event.getFormattedMessage());
            assertFalse(event.getLevel().isGreaterOrEqual(Level.ERROR), "an error in the log: " + event.getFormattedMessage());
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static void assertClientError(final String what, final RouteClient.Reply reply, final int expected) {
        assertEquals(expected, reply.status(), what + " -> " + reply.body());
        if (reply.body().startsWith("{")) {
            final String detail = reply.json().path("detail").asText();
            assertFalse(detail.isEmpty() || detail.contains("\n"), what + ": not a one-line reason: " + reply.body());
        }
    }

    /** Weakness 8: every /relay/* route, empty and malformed bodies: 400, one line. */
    @Test
    void relayRoutes_answer400OneLine_forEmptyAndMalformedBodies() {
        for (final String body : BAD_BODIES) {
            final boolean question = body.contains("\"action\":\"read\",\"path\":\"live/stream\"");
            assertClientError("/relay/auth " + body, client.call(Method.POST, "/relay/auth",
                    Map.of("Content-Type", "application/json"), body), question ? 401 : 400);
            for (final String route : new String[] {"/relay/available", "/relay/unavailable"}) {
                final RouteClient.Reply reply = client.call(Method.POST, route,
                        Map.of("Content-Type", "application/x-www-form-urlencoded"), body);
                assertClientError(route + " " + body, reply, reply.status() == 404 ? 404 : 400);
            }
        }
        assertClientError("/relay/auth without a body", client.call(Method.POST, "/relay/auth", Map.of(), null), 400);
        assertClientError("/relay/available without a body", client.call(Method.POST, "/relay/available", Map.of(), null), 400);
        assertClientError("/relay/unavailable without a body", client.call(Method.POST, "/relay/unavailable", Map.of(), null), 400);
    }

    /** Everything else: malformed credentials, ids, queries, bodies and methods get a 4xx. */
    @Test
    void everyRoute_answers4xx_forBadInput() {
        final List<RouteClient.Reply> replies = new ArrayList<>();
        for (final String auth : new String[] {"Basic", "Basic %%%", "Basic " + "A".repeat(5000), "Bearer", "Bearer \u00ff",
                "Digest x", "basic dmVyYQ==", ""}) {
            replies.add(client.call(Method.GET, "/robots", Map.of("Authorization", auth), null));
        }
        for (final String path : new String[] {"/robots/%00", "/robots/" + "x".repeat(3000), "/robots/default/stream/start?wait=",
                "/robots/default/stream/start?wait=-PT1S", "/robots/default/stream/start?wait=P99999999999D",
                "/robots/default/views/%2e%2e", "/robots/..%2f..%2fetc/views", "/app/../../etc/passwd", "/app/%00",
                "/observe/metrics?x=%zz", "/robots?%zz"}) {
            replies.add(client.call(Method.POST, path, Map.of("Authorization", OPERATOR), "garbage"));
            replies.add(client.call(Method.GET, path, Map.of("Authorization", OPERATOR), null));
            replies.add(client.call(Method.PUT, path, Map.of("Authorization", OPERATOR), "{"));
        }
        for (final String body : BAD_BODIES) {
            replies.add(client.call(Method.POST, "/robots/default/views", Map.of("Authorization", OPERATOR,
                    "Content-Type", "application/json"), body));
            replies.add(client.call(Method.POST, "/session", Map.of("X-Requested-With", "vigil-app",
                    "Content-Type", "application/json"), body));
        }
        replies.add(client.call(Method.POST, "/session", Map.of("X-Requested-With", "vigil-app",
                "Content-Type", "application/json"), "{\"user\":\"" + "u".repeat(5000) + "\",\"password\":\"p\"}"));
        replies.add(client.call(Method.PATCH, "/robots/default", Map.of("Authorization", OPERATOR), "{}"));
        for (final RouteClient.Reply reply : replies) {
            assertTrue(reply.status() >= 200 && reply.status() < 500, "a server error for bad input: " + reply.status() + " " + reply.body());
        }
        // The views opened above belong to this class's bridge alone.
        BRIDGE.leases().revokeAll("default");
    }
}
