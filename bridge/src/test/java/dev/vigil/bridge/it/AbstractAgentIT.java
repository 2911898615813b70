package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.Ports;
import dev.vigil.testkit.RtmpRelay;
import dev.vigil.testkit.StreamReader;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole chain with real parts: the bridge jar, mosquitto, the real agent jar (test-pattern
 * template) publishing through nginx-rtmp, which asks the bridge, and a gst-launch reader.
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractAgentIT {

    private static final String MQTT_USER = "vigil";
    private static final String MQTT_PASSWORD = "mqtt-Agent-Pass-2";
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path AGENT_JAR = REPO.resolve("agent/target/vigil-agent.jar");

    private Mosquitto broker;
    private BridgeProcess bridge;
    private RtmpRelay relay;
    private Process agent;

    @BeforeAll
    void start() throws Exception {
        if (!Files.exists(AGENT_JAR)) {
            throw new IllegalStateException("build the agent first (mvn -pl agent package): " + AGENT_JAR + " is missing");
        }
        broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        final int callbackPort = Ports.free();
        bridge = BridgeProcess.start(TestConfigs.hocon("""
                vigil.bridge.relay.nginx-port = %d
                vigil.bridge.views { ttl = 3s, agent-lease-margin = 2s, renew-every = 1s, linger = 2s }
                """.formatted(callbackPort)), Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD));
        relay = RtmpRelay.builder().callbacks("http://127.0.0.1:" + callbackPort).start();
        final Map<String, String> env = new HashMap<>(Map.of(
                "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD, "MQTT_TOPIC", "robot/stream",
                "MEDIA_SERVER", relay.hostAndPort(),
                "AGENT_PIPELINE", "testsrc", "AGENT_PIPELINES_DIR", REPO.resolve("pipelines").toString()));
        env.put("ROBOT_ID", "default");
        env.putAll(publishCredentials());
        env.put("AGENT_PID_FILE", Files.createTempDirectory("vigil-agent").resolve("gst.pid").toString());
        final ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", AGENT_JAR.toString())
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("vigil-agent", ".log").toFile());
        builder.environment().putAll(env);
        agent = builder.start();
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
                get("/robots/default").body().contains("\"online\":true"));
    }

    /** The agent's MEDIA_* publish settings. */
    abstract Map<String, String> publishCredentials();

    /** How the bridge should say it allowed the agent's publish. */
    abstract String publishReason();

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(20, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
        for (final AutoCloseable part : new AutoCloseable[] {relay, bridge, broker}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @AfterEach
    void idle() throws Exception {
        bridge.send("POST", "/robots/default/stream/stop", operator(), null);
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !relay.publishers().contains("stream"));
    }

    private static String operator() {
        return "Basic " + Base64.getEncoder().encodeToString((TestConfigs.OPERATOR + ":" + TestConfigs.OPERATOR_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return bridge.send("GET", path, "Bearer " + TestConfigs.VIEWER_TOKEN, null);
    }

    private String playerUrl() {
        return relay.rtmpUrl("stream") + "?user=" + TestConfigs.VIEWER + "&pass=" + TestConfigs.VIEWER_PASSWORD;
    }

    @Test
    void httpStart_streamsFramesToReader_andStopRemovesPublisher() throws Exception {
        final HttpResponse<String> started = bridge.send("POST", "/robots/default/stream/start?wait=PT30S", operator(), null);
        assertEquals(200, started.statusCode(), started.body());
        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).until(() -> relay.publishers().contains("stream"));
        assertTrue(bridge.lines().stream().anyMatch(l -> l.contains("Relay: allowed publish of 'live/stream'")
                && l.endsWith("(" + publishReason() + ")")), "publish allowed by " + publishReason());
        try (StreamReader reader = StreamReader.open(playerUrl())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> reader.frames() > 10);
        }
        final String output = String.join("\n", bridge.lines());
        for (final String secret : new String[] {TestConfigs.ROBOT_PASSWORD, TestConfigs.ROBOT_SECRET, MQTT_PASSWORD,
                TestConfigs.VIEWER_PASSWORD, TestConfigs.OPERATOR_PASSWORD}) {
            assertFalse(output.contains(secret), "a secret in the bridge's output");
        }
        assertEquals(202, bridge.send("POST", "/robots/default/stream/stop", operator(), null).statusCode());
        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).until(() -> !relay.publishers().contains("stream"));
    }

    @Test
    void viewLeaseNotRenewed_stopsRobot() throws Exception {
        final HttpResponse<String> opened = bridge.send("POST", "/robots/default/views", "Bearer " + TestConfigs.VIEWER_TOKEN, null);
        assertEquals(201, opened.statusCode(), opened.body());
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> relay.publishers().contains("stream"));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !relay.publishers().contains("stream"));
        assertTrue(get("/robots/default").body().contains("\"views\":0"));
    }

    @Test
    void playerAttaching_startsRobot_andLeavingStopsItAfterLinger() throws Exception {
        try (StreamReader reader = StreamReader.open(playerUrl())) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> relay.publishers().contains("stream"));
            await().atMost(Duration.ofSeconds(20)).until(() -> reader.frames() > 10);
        }
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !relay.publishers().contains("stream"));
    }
}
