package dev.vigil.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.relay.RelayKicker;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.Desired;
import dev.vigil.protocol.Hold;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator's stop that holds, the camera's privacy switch, and the relay admitting a robot's
 * publish only while it is meant to stream (issue 13's weaknesses 6 and 7), with a fake broker and
 * a recording relay API. Runs without a network ({@link RobotControlRoutingTest}) and against a
 * real server ({@link RobotControlRoutingIT}).
 */
abstract class AbstractRobotControlRoutingTest {

    record Kick(String path, boolean publisherToo) {
    }

    static final RecordingSink SINK = new RecordingSink();
    static final List<Kick> KICKS = new CopyOnWriteArrayList<>();
    static final Bridge BRIDGE = Bridge.withSink(TestConfigs.settings(""), Clock.systemUTC(), SINK, d -> { },
            (path, publisherToo) -> {
                KICKS.add(new Kick(path, publisherToo));
                return CompletableFuture.completedFuture(2);
            });
    private static final String OPERATOR = RouteClient.bearer(TestConfigs.OPERATOR_TOKEN);
    private static final String VIEWER = RouteClient.basic(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD);

    private final RouteClient client;

    AbstractRobotControlRoutingTest(final Http1Client client) {
        this.client = new RouteClient(client);
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    @BeforeEach
    void reset() throws Exception {
        TestConfigs.idle(BRIDGE);
        SINK.reset();
        KICKS.clear();
    }

    private RouteClient.Reply call(final Method method, final String path, final String auth) {
        return client.call(method, path, auth);
    }

    private RouteClient.Reply read(final String path, final String user, final String password) {
        return client.relay("{\"action\":\"read\",\"path\":\"%s\",\"user\":\"%s\",\"password\":\"%s\",\"ip\":\"10.1.1.1\"}"
                .formatted(path, user, password));
    }

    private RouteClient.Reply publishDefault() {
        return client.relay("{\"action\":\"publish\",\"path\":\"live/stream\",\"user\":\"%s\",\"password\":\"%s\",\"ip\":\"10.2.2.2\"}"
                .formatted(TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD));
    }

    private long sent(final Command.Kind kind) {
        return SINK.sent().stream().filter(s -> s.command().kind() == kind).count();
    }

    /** Weakness 6: with a view open, an operator's stop revokes it, disconnects the relay's readers, and no view or player starts the robot again. */
    @Test
    void operatorStop_holds_revokesViewsAndReaders_untilOperatorStarts() {
        final RouteClient.Reply view = call(Method.POST, "/robots/r2/views", VIEWER);
        assertEquals(201, view.status());
        final String key = view.json().get("key").asText();
        final String lease = view.json().get("lease").asText();
        assertEquals(204, read("live/r2", "lease", key).status());

        final RouteClient.Reply stop = call(Method.POST, "/robots/r2/stream/stop", OPERATOR);
        assertEquals(202, stop.status());
        assertEquals("stopped", stop.json().get("hold").asText());
        assertEquals(Hold.STOPPED, SINK.holds().get(0).control().hold());
        assertEquals("ops", SINK.holds().get(0).control().by());
        assertEquals(Command.stop(), SINK.sent().get(SINK.sent().size() - 1).command());
        assertEquals(List.of(new Kick("live/r2", true)), KICKS, "the relay's readers and publisher are not disconnected");

        final long startsBefore = sent(Command.Kind.START);
        assertEquals(404, call(Method.PUT, "/robots/r2/views/" + lease, VIEWER).status(), "the view lives on");
        assertEquals(401, read("live/r2", "lease", key).status(), "the revoked view still reads");
        assertEquals(401, read("live/r2", TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD).status(), "a player may read (and start) it");
        final RouteClient.Reply again = call(Method.POST, "/robots/r2/views", VIEWER);
        assertEquals(409, again.status());
        assertEquals("stopped", again.json().get("hold").asText());
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> sent(Command.Kind.START) == startsBefore);
        final RouteClient.Reply robot = call(Method.GET, "/robots/r2", VIEWER);
        assertEquals("stopped", robot.json().get("hold").asText());
        assertEquals("ops", robot.json().get("holdBy").asText());
        assertEquals(0, robot.json().get("views").asInt());

        assertEquals(202, call(Method.POST, "/robots/r2/stream/start", OPERATOR).status());
        assertEquals(Hold.NONE, SINK.holds().get(SINK.holds().size() - 1).control().hold());
        assertEquals(Command.start(), SINK.sent().get(SINK.sent().size() - 1).command());
        assertEquals(201, call(Method.POST, "/robots/r2/views", VIEWER).status(), "the operator's start lifts the stop");
    }

    @Test
    void cameraDisabled_refusesEvenOperatorStart_untilEnabled() {
        assertEquals(202, call(Method.POST, "/robots/r2/camera/disable", OPERATOR).status());
        assertEquals(Hold.PRIVACY, SINK.holds().get(0).control().hold());
        assertEquals(List.of(new Kick("live/r2", true)), KICKS);
        final RouteClient.Reply start = call(Method.POST, "/robots/r2/stream/start", OPERATOR);
        assertEquals(409, start.status());
        assertTrue(start.json().get("detail").asText().contains("camera/enable"), start.body());
        assertEquals(409, call(Method.POST, "/robots/r2/stream/start?wait=PT1S", OPERATOR).status());
        assertEquals(409, call(Method.POST, "/robots/r2/views", OPERATOR).status());
        assertEquals(202, call(Method.POST, "/robots/r2/stream/stop", OPERATOR).status());
        assertEquals("privacy", call(Method.GET, "/robots/r2", VIEWER).json().get("hold").asText(), "a stop weakened the privacy hold");
        assertEquals(0, sent(Command.Kind.START));
        assertEquals(403, call(Method.POST, "/robots/r2/camera/enable", VIEWER).status());
        assertEquals(202, call(Method.POST, "/robots/r2/camera/enable", OPERATOR).status());
        assertEquals(202, call(Method.POST, "/robots/r2/stream/start", OPERATOR).status());
    }

    @Test
    void originalStop_holdsToo_andOriginalStartLiftsIt() {
        assertEquals(200, call(Method.POST, "/stream/stop", OPERATOR).status());
        assertEquals(409, call(Method.POST, "/robots/default/views", VIEWER).status());
        assertEquals(200, call(Method.POST, "/stream/start", OPERATOR).status());
        assertEquals(201, call(Method.POST, "/robots/default/views", VIEWER).status());
    }

    /** A bridge that restarts learns the hold from the broker's retained message. */
    @Test
    void retainedHold_fromBroker_refusesViews() {
        BRIDGE.registry().accept("robots/r2/stream/control", new ControlMessage(Hold.PRIVACY, "ops", Instant.now()).toJson());
        assertEquals(409, call(Method.POST, "/robots/r2/views", VIEWER).status());
        assertEquals("privacy", call(Method.GET, "/robots/r2", VIEWER).json().get("hold").asText());
    }

    /** Weakness 7: the robot's own right credentials publish only while it is meant to stream. */
    @Test
    void robotPublish_refused_unlessMeantToStream() {
        final RouteClient.Reply idle = publishDefault();
        assertEquals(401, idle.status(), "a robot published with no start asked for");
        assertTrue(idle.json().get("detail").asText().startsWith("robot default is not meant to stream now"), idle.body());

        assertEquals(201, call(Method.POST, "/robots/default/views", VIEWER).status());
        assertEquals(204, publishDefault().status(), "the view's start does not admit the robot at once");

        assertEquals(202, call(Method.POST, "/robots/default/stream/stop", OPERATOR).status());
        assertTrue(publishDefault().json().get("detail").asText().contains("held by an operator"));

        assertEquals(202, call(Method.POST, "/robots/default/stream/start", OPERATOR).status());
        assertEquals(204, publishDefault().status());
    }

    /** A start sent straight to the broker (the original script's mosquitto_pub) admits the robot once its state says so. */
    @Test
    void robotPublish_admitted_whenAgentStateWantsStreaming() {
        // The bridge's last word on r2 is a stop (an earlier test's start would count for the command expiry).
        assertEquals(202, call(Method.POST, "/robots/r2/stream/stop", OPERATOR).status());
        assertEquals(202, call(Method.POST, "/robots/r2/camera/enable", OPERATOR).status());
        BRIDGE.registry().accept("robots/r2/stream/state", new StateMessage(StreamState.STARTING, Desired.STREAMING,
                Instant.now(), 0, "testsrc", null, null, null).toJson());
        assertEquals(204, client.relay("{\"action\":\"publish\",\"path\":\"live/r2\",\"user\":\"r2\",\"password\":\"%s\"}"
                .formatted(TestConfigs.R2_PASSWORD)).status());
        BRIDGE.registry().accept("robots/r2/stream/state", new StateMessage(StreamState.IDLE, Desired.IDLE,
                Instant.now(), 0, "testsrc", null, null, null).toJson());
        assertEquals(401, client.relay("{\"action\":\"publish\",\"path\":\"live/r2\",\"user\":\"r2\",\"password\":\"%s\"}"
                .formatted(TestConfigs.R2_PASSWORD)).status());
    }
}
