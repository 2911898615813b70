package dev.vigil.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.vigil.bridge.http.JsonReplies;
import dev.vigil.protocol.PublishToken;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The operator's registry API, and how the rest of the bridge serves what it adds, without a network. */
@RoutingTest
class RegistryRoutingTest {

    private static final RecordingSink SINK = new RecordingSink();
    private static final Bridge BRIDGE = Bridge.withSink(TestConfigs.settings("""
            vigil.bridge.relays {
              default { publish-url = "rtsp://{user}:{pass}@relay-a.test:8554/{path}" }
              eu {
                publish-url = "rtmp://relay-b.test:1935/{path}?user={user}&pass={pass}"
                viewer-urls { rtsp = "rtsp://relay-b.test:8554/{path}", hls = "http://relay-b.test:8888/{path}/index.m3u8" }
              }
            }
            """), Clock.systemUTC(), SINK);
    private static final String OPERATOR = "Bearer " + TestConfigs.OPERATOR_TOKEN;
    private static final String VIEWER = "Bearer " + TestConfigs.VIEWER_TOKEN;

    private final DirectClient client;

    RegistryRoutingTest(final DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    private record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JsonReplies.MAPPER.readTree(body);
            } catch (final IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Reply call(final Method method, final String path, final String auth, final String body) {
        final int q = path.indexOf('?');
        Http1ClientRequest request = client.method(method).path(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            final String[] kv = path.substring(q + 1).split("=", 2);
            request = request.queryParam(kv[0], kv[1]);
        }
        if (auth != null) {
            request = request.header(HeaderNames.AUTHORIZATION, auth);
        }
        try (Http1ClientResponse res = body == null ? request.request() : request.submit(body)) {
            return new Reply(res.status().code(), res.entity().hasEntity() ? res.entity().as(String.class) : "");
        }
    }

    private JsonNode add(final String body) {
        final Reply added = call(Method.POST, "/registry/robots", OPERATOR, body);
        assertEquals(201, added.status(), added.body());
        return added.json();
    }

    private int publish(final String path, final String user, final String token, final String relay) {
        final String question = """
                {"user":"%s","password":"%s","ip":"127.0.0.1","action":"publish","path":"%s","protocol":"rtsp",
                 "id":null,"query":""}""".formatted(user, token, path);
        return call(Method.POST, "/relay/auth" + (relay == null ? "" : "?relay=" + relay), null, question).status();
    }

    @Test
    void robotAdd_servesRobotAtOnce_andAnswersItsAgentSettingsOnce() {
        assertEquals(404, call(Method.GET, "/robots/rover1", VIEWER, null).status());
        final JsonNode added = add("{\"id\":\"rover1\"}");
        assertEquals("robots/rover1/stream", added.at("/robot/topic").asText());
        assertEquals("live/rover1", added.at("/robot/relayPath").asText());
        assertEquals("default", added.at("/robot/relay").asText());
        final String key = added.get("privateKey").asText();
        assertTrue(key.startsWith("ed25519:"), key);
        // The agent settings parse as the agent's HOCON and carry the robot's topic, path, relay and key.
        final com.typesafe.config.Config agent = ConfigFactory.parseString(added.get("agentConfig").asText())
                .getConfig("vigil.agent");
        assertEquals("rover1", agent.getString("robot-id"));
        assertEquals("robots/rover1/stream", agent.getString("mqtt.topic"));
        assertEquals("relay-a.test:8554", agent.getString("media.server"));
        assertEquals("rtsp://{user}:{pass}@{server}/{path}", agent.getString("media.url-template"));
        assertEquals(key, agent.getString("media.publish-password"));
        assertTrue(agent.getBoolean("media.token-auth"));

        final Reply robot = call(Method.GET, "/robots/rover1", VIEWER, null);
        assertEquals(200, robot.status(), robot.body());
        assertEquals("unknown", robot.json().get("availability").asText());
        assertTrue(call(Method.GET, "/robots", VIEWER, null).body().contains("\"id\":\"rover1\""));
        // The registry keeps the public key only: listing it never shows the private one.
        final Reply list = call(Method.GET, "/registry/robots", OPERATOR, null);
        assertEquals(200, list.status());
        assertTrue(list.body().contains("\"id\":\"rover1\"") && list.body().contains("\"source\":\"registry\""), list.body());
        assertFalse(list.body().contains(key.substring("ed25519:".length())), list.body());
    }

    @Test
    void robotStart_publishesOnRegistryRobotsTopic() {
        add("{\"id\":\"rover2\",\"topic\":\"site/cam2\"}");
        SINK.reset();
        assertEquals(202, call(Method.POST, "/robots/rover2/stream/start", OPERATOR, null).status());
        assertTrue(SINK.sent().stream().anyMatch(s -> s.robotId().equals("rover2") && s.topic().equals("site/cam2")), SINK.sent().toString());
    }

    @Test
    void robotAdd_409_whenIdTopicOrPathIsTaken() {
        add("{\"id\":\"rover3\"}");
        assertEquals(409, call(Method.POST, "/registry/robots", OPERATOR, "{\"id\":\"rover3\"}").status());
        assertEquals(409, call(Method.POST, "/registry/robots", OPERATOR, "{\"id\":\"default\"}").status());
        final Reply topic = call(Method.POST, "/registry/robots", OPERATOR, "{\"id\":\"rover3b\",\"topic\":\"robots/rover3/stream\"}");
        assertEquals(409, topic.status());
        assertTrue(topic.body().contains("rover3"), topic.body());
        assertEquals(409, call(Method.POST, "/registry/robots", OPERATOR, "{\"id\":\"rover3c\",\"relayPath\":\"live/stream\"}").status());
    }

    @Test
    void robotAdd_400_forBadInput() {
        assertEquals(400, call(Method.POST, "/registry/robots", OPERATOR, "{\"id\":\"no good\"}").status());
        assertEquals(400, call(Method.POST, "/registry/robots", OPERATOR, "{\"id\":\"r9\",\"relay\":\"mars\"}").status());
        assertEquals(400, call(Method.POST, "/registry/robots", OPERATOR, "{\"id\":\"r9\",\"topic\":\"a/+/b\"}").status());
        assertEquals(400, call(Method.POST, "/registry/robots", OPERATOR, "{\"id\":\"r9\",\"relayPath\":\"../x\"}").status());
        assertEquals(400, call(Method.POST, "/registry/robots", OPERATOR, "not json").status());
        assertEquals(400, call(Method.POST, "/registry/robots", OPERATOR, null).status());
        assertEquals(400, call(Method.POST, "/registry/robots", OPERATOR, "[1]").status());
    }

    @Test
    void registry_needsAnOperator() {
        assertEquals(401, call(Method.GET, "/registry/robots", null, null).status());
        assertEquals(403, call(Method.GET, "/registry/robots", VIEWER, null).status());
        assertEquals(403, call(Method.POST, "/registry/robots", VIEWER, "{\"id\":\"sneaky\"}").status());
        assertEquals(403, call(Method.POST, "/registry/tokens", VIEWER, "{\"name\":\"x\",\"role\":\"operator\"}").status());
        assertEquals(404, call(Method.GET, "/robots/sneaky", VIEWER, null).status());
    }

    @Test
    void signedToken_publishesOnlyItsPathOnItsRelay_andRotateRetiresTheOldKey() {
        final String key = add("{\"id\":\"rover4\",\"relay\":\"eu\"}").get("privateKey").asText();
        // A robot may publish only when it is meant to stream: start it first.
        assertEquals(202, call(Method.POST, "/robots/rover4/stream/start", OPERATOR, null).status());
        final String token = PublishToken.issue("rover4", key, Instant.now().plusSeconds(300));
        assertEquals(204, publish("live/rover4", "rover4", token, "eu"));
        assertEquals(204, publish("live/rover4", "rover4", token, null));
        // Another relay, another robot's path, a token of another key: refused.
        assertEquals(401, publish("live/rover4", "rover4", token, "default"));
        assertEquals(401, publish("live/stream", "rover4", token, null));
        final Reply rotated = call(Method.POST, "/registry/robots/rover4/rotate-secret", OPERATOR, null);
        assertEquals(200, rotated.status(), rotated.body());
        assertEquals(401, publish("live/rover4", "rover4", token, "eu"));
        final String fresh = PublishToken.issue("rover4", rotated.json().get("privateKey").asText(),
                Instant.now().plusSeconds(300));
        assertEquals(204, publish("live/rover4", "rover4", fresh, "eu"));
        assertEquals(404, call(Method.POST, "/registry/robots/ghost/rotate-secret", OPERATOR, null).status());
    }

    @Test
    void viewerUrls_comeFromTheRobotsOwnRelay() {
        add("{\"id\":\"rover5\",\"relay\":\"eu\"}");
        final JsonNode urls = call(Method.GET, "/robots/rover5", VIEWER, null).json().get("urls");
        assertEquals("rtsp://relay-b.test:8554/live/rover5", urls.get("rtsp").asText());
        assertEquals("http://relay-b.test:8888/live/rover5/index.m3u8", urls.get("hls").asText());
        assertFalse(urls.has("rtmp"), urls.toString());
        // The default relay names no viewer URLs of its own: the top-level ones.
        assertEquals("rtmp://relay.test/live/stream", call(Method.GET, "/robots/default", VIEWER, null).json()
                .at("/urls/rtmp").asText());
        final Reply view = call(Method.POST, "/robots/rover5/views", VIEWER, null);
        assertEquals(201, view.status(), view.body());
        assertEquals("rtsp://relay-b.test:8554/live/rover5", view.json().at("/urls/rtsp").asText());
    }

    @Test
    void robotRemove_endsItsRoutes_butNotThoseOfBridgeConf() {
        add("{\"id\":\"rover6\"}");
        assertEquals(204, call(Method.DELETE, "/registry/robots/rover6", OPERATOR, null).status());
        assertEquals(404, call(Method.GET, "/robots/rover6", VIEWER, null).status());
        assertEquals(404, call(Method.POST, "/robots/rover6/stream/start", OPERATOR, null).status());
        assertEquals(404, call(Method.DELETE, "/registry/robots/rover6", OPERATOR, null).status());
        assertEquals(409, call(Method.DELETE, "/registry/robots/default", OPERATOR, null).status());
    }

    @Test
    void tokenAdd_signsInAtOnce_andRemoveSignsOut() {
        final Reply added = call(Method.POST, "/registry/tokens", OPERATOR, "{\"name\":\"phone\",\"role\":\"viewer\"}");
        assertEquals(201, added.status(), added.body());
        final String token = "Bearer " + added.json().get("token").asText();
        assertEquals(200, call(Method.GET, "/robots", token, null).status());
        assertEquals(403, call(Method.POST, "/robots/default/stream/start", token, null).status());
        assertFalse(call(Method.GET, "/registry/tokens", OPERATOR, null).body().contains(added.json().get("token").asText()));
        assertEquals(204, call(Method.DELETE, "/registry/tokens/phone", OPERATOR, null).status());
        assertEquals(401, call(Method.GET, "/robots", token, null).status());
    }

    @Test
    void userAdd_signsInWithBasic_andRefusesWeakPasswordOrBadRole() {
        assertEquals(400, call(Method.POST, "/registry/users", OPERATOR,
                "{\"name\":\"ann\",\"password\":\"short\",\"role\":\"viewer\"}").status());
        assertEquals(400, call(Method.POST, "/registry/users", OPERATOR,
                "{\"name\":\"ann\",\"password\":\"long-enough-1\",\"role\":\"admin\"}").status());
        assertEquals(409, call(Method.POST, "/registry/users", OPERATOR,
                "{\"name\":\"" + TestConfigs.OPERATOR + "\",\"password\":\"long-enough-1\",\"role\":\"viewer\"}").status());
        assertEquals(201, call(Method.POST, "/registry/users", OPERATOR,
                "{\"name\":\"ann\",\"password\":\"long-enough-1\",\"role\":\"operator\"}").status());
        final String basic = "Basic " + Base64.getEncoder().encodeToString("ann:long-enough-1".getBytes(StandardCharsets.UTF_8));
        assertEquals(202, call(Method.POST, "/robots/default/stream/stop", basic, null).status());
        assertEquals(204, call(Method.DELETE, "/registry/users/ann", OPERATOR, null).status());
        assertEquals(401, call(Method.GET, "/robots", basic, null).status());
    }

    @Test
    void robotList_showsEachChange_thoughItKeepsEachRobotsJson() throws Exception {
        add("{\"id\":\"rover7\"}");
        final java.util.function.Supplier<JsonNode> rover7 = () -> {
            for (final JsonNode robot : call(Method.GET, "/robots", VIEWER, null).json().get("robots")) {
                if (robot.get("id").asText().equals("rover7")) {
                    return robot;
                }
            }
            throw new AssertionError("rover7 is not listed");
        };
        assertEquals(0, rover7.get().get("views").asInt());
        final Reply view = call(Method.POST, "/robots/rover7/views", VIEWER, null);
        assertEquals(201, view.status(), view.body());
        assertEquals(1, rover7.get().get("views").asInt());
        BRIDGE.registry().accept("robots/rover7/stream/availability", "online".getBytes(StandardCharsets.UTF_8));
        assertEquals("online", rover7.get().get("availability").asText());
        assertEquals(204, call(Method.DELETE, "/robots/rover7/views/" + view.json().get("lease").asText(), VIEWER, null).status());
        assertEquals(0, rover7.get().get("views").asInt());
    }
}
