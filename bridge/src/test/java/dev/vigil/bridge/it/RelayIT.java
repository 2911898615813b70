package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.Ports;
import dev.vigil.testkit.RtmpRelay;
import dev.vigil.protocol.PublishToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real nginx-rtmp relay asks the real bridge jar; real gst-launch publishers and players. */
class RelayIT {

    private static final String MQTT_USER = "bridge";
    private static final String MQTT_PASSWORD = "mqtt-Relay-Pass-1";

    private static Mosquitto broker;
    private static BridgeProcess bridge;
    private static RtmpRelay relay;
    private static Mqtt5BlockingClient robot;
    private static final List<String> COMMANDS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        robot = Mqtt5Client.builder().identifier("relay-it-robot").serverHost("127.0.0.1").serverPort(broker.port())
                .simpleAuth().username(MQTT_USER).password(MQTT_PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        robot.connect();
        robot.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                p -> COMMANDS.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        robot.subscribeWith().topicFilter("robot/stream").qos(MqttQos.AT_LEAST_ONCE).send();
        final int callbackPort = Ports.free();
        bridge = BridgeProcess.start(TestConfigs.hocon("vigil.bridge.relay.nginx-port = " + callbackPort), Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD));
        relay = RtmpRelay.builder().callbacks("http://127.0.0.1:" + callbackPort).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (final AutoCloseable part : new AutoCloseable[] {relay, bridge, broker}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @BeforeEach
    void clear() {
        COMMANDS.clear();
    }

    private static String publishUrl(final String stream, final String user, final String pass) {
        return relay.rtmpUrl(stream) + "?user=" + user + "&pass=" + pass;
    }

    private static String relayLines() {
        return String.join("\n", bridge.lines().stream().filter(l -> l.contains("elay") || l.contains("ERROR") || l.contains("WARN")).toList());
    }

    private static void awaitPublishing(final Gst publisher) throws Exception {
        try {
            await().ignoreExceptions().atMost(Duration.ofSeconds(15)).until(() -> relay.publishers().contains("stream"));
        } catch (final org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no publisher; gst: " + publisher.output() + "\nbridge: " + relayLines()
                    + "\nstat: " + relay.stat(), e);
        }
    }

    @Test
    void publish_refusedAtRelay_withWrongRobotPassword() throws Exception {
        try (Gst publisher = Gst.publish(publishUrl("stream", TestConfigs.ROBOT_USER, "Wrong-Pass-77"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !publisher.isAlive());
            assertFalse(relay.publishers().contains("stream"));
        }
        assertTrue(bridge.anyLineContains("Relay: refused publish of 'live/stream'"), relayLines());
        assertFalse(String.join("\n", bridge.lines()).contains("Wrong-Pass-77"));
    }

    @Test
    void publish_refusedAtRelay_onAnotherRobotsPath() throws Exception {
        try (Gst publisher = Gst.publish(publishUrl("r2", TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !publisher.isAlive());
            assertFalse(relay.publishers().contains("r2"));
        }
    }

    @Test
    void publish_streams_withPublishToken() throws Exception {
        final String token = PublishToken.issue("default",
                TestConfigs.ROBOT_SECRET.getBytes(StandardCharsets.UTF_8), Instant.now().plusSeconds(300));
        try (Gst publisher = Gst.publish(publishUrl("stream", "default", token))) {
            awaitPublishing(publisher);
            assertTrue(publisher.isAlive());
        }
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> !relay.publishers().contains("stream"));
    }

    @Test
    void player_startsRobotAndLeavingStopsIt_afterLinger() throws Exception {
        try (Gst publisher = Gst.publish(publishUrl("stream", TestConfigs.ROBOT_USER, TestConfigs.ROBOT_PASSWORD))) {
            awaitPublishing(publisher);
            try (Gst player = Gst.play(relay.rtmpUrl("stream") + "?user=" + TestConfigs.VIEWER + "&pass=" + TestConfigs.VIEWER_PASSWORD)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> COMMANDS.stream().anyMatch(c -> c.contains("\"command\":\"start\"")));
                await().atMost(Duration.ofSeconds(15)).until(() -> player.frames() > 10);
                assertTrue(player.isAlive(), "the allowed player keeps reading");
                assertTrue(COMMANDS.stream().noneMatch("stop"::equals));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> COMMANDS.contains("stop"));
        }
    }

    @Test
    void player_refusedAtRelay_withoutViewerCredentials() throws Exception {
        try (Gst player = Gst.play(relay.rtmpUrl("stream") + "?user=" + TestConfigs.VIEWER + "&pass=nope")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !player.isAlive());
        }
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(COMMANDS::isEmpty);
    }
}
