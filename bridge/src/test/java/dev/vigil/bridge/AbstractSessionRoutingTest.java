package dev.vigil.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The page's sign-in (issue 13's weakness 10): the password is exchanged once for a session token
 * in an HttpOnly, SameSite=Strict, Secure cookie that no script can read, the cookie counts only
 * with the page's {@code X-Requested-With}, and signing out revokes the session on the bridge.
 * Runs without a network ({@link SessionRoutingTest}) and against a real server ({@link SessionRoutingIT}).
 */
abstract class AbstractSessionRoutingTest {

    static final Bridge BRIDGE = Bridge.withSink(TestConfigs.settings(""), Clock.systemUTC(), new RecordingSink());
    private static final Map<String, String> PAGE = Map.of("X-Requested-With", "vigil-app", "Content-Type", "application/json");

    private final RouteClient client;

    AbstractSessionRoutingTest(final Http1Client client) {
        this.client = new RouteClient(client);
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    private RouteClient.Reply signIn(final String user, final String password) {
        return client.call(Method.POST, "/session", PAGE, "{\"user\":\"%s\",\"password\":\"%s\"}".formatted(user, password));
    }

    private static String cookieOf(final RouteClient.Reply reply) {
        final String setCookie = reply.header("Set-Cookie");
        assertNotNull(setCookie, "no cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private RouteClient.Reply withCookie(final Method method, final String path, final String cookie, final boolean fromPage) {
        return client.call(method, path, fromPage ? Map.of("X-Requested-With", "vigil-app", "Cookie", cookie)
                : Map.of("Cookie", cookie), null);
    }

    @Test
    void signIn_setsHttpOnlyStrictSecureCookie_andAnswersNoSecret() {
        final RouteClient.Reply reply = signIn(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);
        assertEquals(201, reply.status(), reply.body());
        final String setCookie = reply.header("Set-Cookie");
        for (final String attribute : new String[] {"vigil_session=", "HttpOnly", "SameSite=Strict", "Secure", "Path=/"}) {
            assertTrue(setCookie.contains(attribute), "the cookie lacks " + attribute + ": " + setCookie.replaceAll("=[^;]*", "=***"));
        }
        final String token = cookieOf(reply).substring("vigil_session=".length());
        assertTrue(token.length() >= 43, "a short session token");
        assertEquals(TestConfigs.VIEWER, reply.json().get("user").asText());
        assertEquals("viewer", reply.json().get("role").asText());
        assertFalse(reply.body().contains(token) || reply.body().contains(TestConfigs.VIEWER_PASSWORD), reply.body());
    }

    @Test
    void sessionCookie_counts_onlyWithThePagesHeader() {
        final String cookie = cookieOf(signIn(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD));
        assertEquals(200, withCookie(Method.GET, "/robots", cookie, true).status());
        assertEquals("operator", withCookie(Method.GET, "/session", cookie, true).json().get("role").asText());
        assertEquals(401, withCookie(Method.GET, "/robots", cookie, false).status(), "a cross-site request acts with the cookie");
        assertEquals(401, withCookie(Method.POST, "/robots/default/stream/stop", cookie, false).status());
    }

    @Test
    void signOut_revokesTheSessionOnTheBridge() {
        final String cookie = cookieOf(signIn(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD));
        final RouteClient.Reply out = withCookie(Method.DELETE, "/session", cookie, true);
        assertEquals(204, out.status());
        assertTrue(out.header("Set-Cookie").contains("Max-Age=0"), "the cookie is not cleared");
        assertEquals(401, withCookie(Method.GET, "/robots", cookie, true).status(), "the session outlived the sign-out");
        assertEquals(401, withCookie(Method.GET, "/session", cookie, true).status());
    }

    @Test
    void signIn_refused_withWrongPasswordMalformedBodyOrNoPageHeader() {
        assertEquals(401, signIn(TestConfigs.VIEWER, "not-it").status());
        for (final String body : new String[] {"", "{", "[]", "{\"user\":1,\"password\":2}", "{\"user\":\"vera\"}", "null"}) {
            final RouteClient.Reply reply = client.call(Method.POST, "/session", PAGE, body);
            assertEquals(400, reply.status(), body + " -> " + reply.body());
        }
        assertEquals(400, client.call(Method.POST, "/session", Map.of("Content-Type", "application/json"),
                "{\"user\":\"vera\",\"password\":\"x\"}").status());
        assertEquals(401, client.call(Method.GET, "/session", PAGE, null).status());
    }

    @Test
    void signIn_takesABearerTokenWithoutUser() {
        final RouteClient.Reply reply = signIn("", TestConfigs.OPERATOR_TOKEN);
        assertEquals(201, reply.status());
        assertEquals("ops", reply.json().get("user").asText());
    }
}
