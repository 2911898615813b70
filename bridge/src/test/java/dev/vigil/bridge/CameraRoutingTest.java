package dev.vigil.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.protocol.Command;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The camera's routes: the robot's picture served from its retained B/snapshot and asked for with the
 * snapshot command; motion mode switched by operators only.
 */
@RoutingTest
class CameraRoutingTest {

    private static final RecordingSink SINK = new RecordingSink();
    private static final Bridge BRIDGE = Bridge.withSink(TestConfigs.settings(""), Clock.systemUTC(), SINK);

    private final DirectClient client;

    CameraRoutingTest(final DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    static byte[] jpeg(final byte fill) {
        final byte[] bytes = new byte[200];
        java.util.Arrays.fill(bytes, fill);
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        bytes[198] = (byte) 0xff;
        bytes[199] = (byte) 0xd9;
        return bytes;
    }

    @Test
    void snapshot_isServedToViewers_asJpeg_andRefusedWithoutCredentials() {
        BRIDGE.registry().accept("robots/r2/stream/snapshot", jpeg((byte) 7));
        try (Http1ClientResponse res = client.get("/robots/r2/snapshot.jpg")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TestConfigs.VIEWER_TOKEN).request()) {
            assertEquals(Status.OK_200, res.status());
            assertEquals("image/jpeg", res.headers().first(HeaderNames.CONTENT_TYPE).orElse(""));
            assertArrayEquals(jpeg((byte) 7), res.entity().as(byte[].class));
        }
        try (Http1ClientResponse res = client.get("/robots/r2/snapshot.jpg").request()) {
            assertEquals(Status.UNAUTHORIZED_401, res.status());
        }
    }

    @Test
    void snapshot_isNotFound_beforeTheRobotSentOne_orForAnUnknownRobot() {
        BRIDGE.registry().accept("robot/stream/snapshot", new byte[0]);
        try (Http1ClientResponse res = client.get("/robots/default/snapshot.jpg")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TestConfigs.VIEWER_TOKEN).request()) {
            assertEquals(Status.NOT_FOUND_404, res.status());
            assertTrue(res.entity().as(String.class).contains("has sent no snapshot yet"));
        }
        BRIDGE.registry().accept("robot/stream/snapshot", new byte[] {1, 2, 3, 4, 5});
        try (Http1ClientResponse res = client.get("/robots/default/snapshot.jpg")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TestConfigs.VIEWER_TOKEN).request()) {
            assertEquals(Status.NOT_FOUND_404, res.status(), "a payload that is no JPEG is not taken for a picture");
        }
        try (Http1ClientResponse res = client.get("/robots/nobody/snapshot.jpg")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TestConfigs.VIEWER_TOKEN).request()) {
            assertEquals(Status.NOT_FOUND_404, res.status());
        }
    }

    @Test
    void post_sendsTheSnapshotCommand_andWaitAnswersWithTheNewPicture() throws Exception {
        SINK.reset();
        final CompletableFuture<Http1ClientResponse> waiting = CompletableFuture.supplyAsync(() -> client.post("/robots/default/snapshot")
                .queryParam("wait", "PT10S").header(HeaderNames.AUTHORIZATION, "Bearer " + TestConfigs.VIEWER_TOKEN).request());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !SINK.sent().isEmpty());
        assertEquals(Command.Kind.SNAPSHOT, SINK.sent().get(0).command().kind());
        BRIDGE.registry().accept("robot/stream/snapshot", jpeg((byte) 9));
        try (Http1ClientResponse res = waiting.get(10, TimeUnit.SECONDS)) {
            assertEquals(Status.OK_200, res.status());
            assertArrayEquals(jpeg((byte) 9), res.entity().as(byte[].class));
        }
        try (Http1ClientResponse res = client.post("/robots/default/snapshot").queryParam("wait", "PT0.3S")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TestConfigs.VIEWER_TOKEN).request()) {
            assertEquals(Status.GATEWAY_TIMEOUT_504, res.status());
        }
    }

    @Test
    void motionOnOff_sendsTheCommand_forOperatorsOnly() {
        SINK.reset();
        try (Http1ClientResponse res = client.post("/robots/r2/motion/on")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TestConfigs.VIEWER_TOKEN).request()) {
            assertEquals(Status.FORBIDDEN_403, res.status());
        }
        try (Http1ClientResponse res = client.post("/robots/r2/motion/on")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TestConfigs.OPERATOR_TOKEN).request()) {
            assertEquals(Status.ACCEPTED_202, res.status());
        }
        try (Http1ClientResponse res = client.post("/robots/r2/motion/off")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TestConfigs.OPERATOR_TOKEN).request()) {
            assertEquals(Status.ACCEPTED_202, res.status());
        }
        assertEquals(java.util.List.of(Command.Kind.MOTION_ON, Command.Kind.MOTION_OFF),
                SINK.sent().stream().map(sent -> sent.command().kind()).toList());
        assertEquals("robots/r2/stream", SINK.sent().get(0).topic());
    }
}
