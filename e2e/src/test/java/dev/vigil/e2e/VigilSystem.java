package dev.vigil.e2e;

import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.MediaMtx;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The whole system, really run: mosquitto, MediaMTX asking the bridge about every publish and read
 * ({@code authMethod: http}), the bridge jar and the agent jar with the test-pattern template.
 * The bridge hands out MediaMTX's HLS and WHEP URLs, and records on request (MediaMTX's API and
 * playback server). Closing it stops every process.
 */
final class VigilSystem implements AutoCloseable {

    static final String VIEWER = "vera";
    static final String VIEWER_PASSWORD = "viewer-Pw-e2e-7";
    static final String OPERATOR = "otto";
    static final String OPERATOR_PASSWORD = "operator-Pw-e2e-8";
    static final String ROBOT_USER = "robotuser";
    static final String ROBOT_PASSWORD = "robot-Pw-e2e-9";
    static final String MQTT_USER = "vigil";
    static final String MQTT_PASSWORD = "mqtt-Pw-e2e-10";
    /** A user named after its role, as run-local.sh makes them. */
    static final String NEWCOMER = "viewer";
    static final String NEWCOMER_PASSWORD = "newcomer-Pw-e2e-12";
    /** The bridge's credential for MediaMTX's API (an operator's stop disconnects readers through it). */
    static final String RELAY_API_PASSWORD = "relay-api-Pw-e2e-13";
    /** The view lease TTL; a closed page must stop the robot well before it runs out. */
    static final Duration VIEW_TTL = Duration.ofSeconds(20);
    static final Duration LINGER = Duration.ofSeconds(2);

    private static final Path REPO = Java.repoRoot();
    private static final Path BRIDGE_JAR = REPO.resolve("bridge/target/vigil-bridge.jar");
    private static final Path AGENT_JAR = REPO.resolve("agent/target/vigil-agent.jar");

    private final List<AutoCloseable> parts = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    /** The robot's path on the relay. */
    static final String PATH = "live/stream";

    private MediaMtx relay;
    private ManagedProcess bridge;
    private String base;
    private Map<String, String> agentEnv;
    private Path work;
    private ManagedProcess agent;

    /** The bridge's {@code viewer-urls.webrtc}, or null for MediaMTX's reader page ({@code http://host:port/{path}}, the bridge's default form). */
    private final String webrtcUrl;
    private final Publish publish;

    /** How the robot publishes into MediaMTX. */
    enum Publish {
        /** {@code testsrc}: RTMP with {@code ?user=&pass=}, the original script's way. */
        RTMP,
        /** {@code testsrc-rtsp}: rtspclientsink with the credentials in the URL. */
        RTSP
    }

    private VigilSystem(final String webrtcUrl, final Publish publish) {
        this.webrtcUrl = webrtcUrl;
        this.publish = publish;
    }

    static boolean jarsBuilt() {
        return Files.exists(BRIDGE_JAR) && Files.exists(AGENT_JAR);
    }

    static VigilSystem start() throws IOException {
        return start(null, Publish.RTMP);
    }

    /**
     * The system with the bridge handing out {@code webrtcUrl} as the robot's WebRTC URL (null:
     * MediaMTX's) and the robot publishing over {@code publish}.
     */
    static VigilSystem start(final String webrtcUrl, final Publish publish) throws IOException {
        final VigilSystem system = new VigilSystem(webrtcUrl, publish);
        try {
            system.startParts();
            return system;
        } catch (final IOException | RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private void startParts() throws IOException {
        final Path work = Files.createDirectories(Path.of("target", "system")).toAbsolutePath();
        final Mosquitto broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
        parts.add(broker);
        final int port = Ports.free();
        base = "http://127.0.0.1:" + port;
        relay = MediaMtx.builder().httpAuth(base + "/relay/auth").apiCredentials("vigil-bridge", RELAY_API_PASSWORD)
                .recording(Duration.ofMinutes(10)).playback()
                // A path of its own, as the deployment configures each robot's: recording is switched on it without a reload.
                .pathSetting(PATH, "source", "publisher").start();
        parts.add(relay);
        final Map<String, String> mqtt = Map.of("MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD, "MQTT_TOPIC", "robot/stream");

        final Path conf = Files.createTempFile(work, "bridge", ".conf");
        Files.writeString(conf, bridgeConfig());
        final Map<String, String> bridgeEnv = new java.util.HashMap<>(mqtt);
        bridgeEnv.put("BRIDGE_HOST", "127.0.0.1");
        bridgeEnv.put("BRIDGE_PORT", Integer.toString(port));
        bridge = ManagedProcess.start(List.of(Java.binary(), "-Dconfig.file=" + conf, "-jar", BRIDGE_JAR.toString()),
                bridgeEnv, work);
        parts.add(bridge);
        await("the bridge listens").atMost(Duration.ofSeconds(30))
                .until(() -> bridge.anyLineContains("listening on http://") || !bridge.isAlive());
        if (!bridge.isAlive()) {
            throw new IllegalStateException("the bridge exited:\n" + String.join("\n", bridge.lines()));
        }

        agentEnv = new java.util.HashMap<>(mqtt);
        agentEnv.putAll(Map.of("MEDIA_PUBLISH_USER", ROBOT_USER,
                "MEDIA_PUBLISH_PASS", ROBOT_PASSWORD, "AGENT_PIPELINE", publish == Publish.RTSP ? "testsrc-rtsp" : "testsrc",
                "AGENT_PIPELINES_DIR", REPO.resolve("pipelines").toString(), "ROBOT_ID", "default",
                "AGENT_PID_FILE", Files.createTempDirectory(work, "agent").resolve("gst.pid").toString(),
                "AGENT_HOLD_FILE", Files.createTempDirectory(work, "agent").resolve("hold.json").toString(),
                "AGENT_SNAPSHOT_DIR", Files.createTempDirectory(work, "snapshots").toString()));
        if (publish == Publish.RTSP) {
            agentEnv.put("MEDIA_SERVER", relay.host() + ":" + relay.rtspPort());
            agentEnv.put("MEDIA_URL_TEMPLATE", "rtsp://{user}:{pass}@{server}/{path}");
        } else {
            agentEnv.put("MEDIA_SERVER", relay.hostAndPort());
        }
        this.work = work;
        startAgent();
    }

    /** Starts the agent and waits until the bridge sees the robot online. */
    void startAgent() {
        agent = ManagedProcess.start(List.of(Java.binary(), "-jar", AGENT_JAR.toString()), agentEnv, work);
        await("the robot is online").ignoreExceptions().atMost(Duration.ofSeconds(40))
                .until(() -> robot().contains("\"online\":true"));
    }

    /** Kills the robot's gst-launch child, as a crashed camera pipeline would end; the agent starts it again. */
    void killStream() {
        signalStream("KILL");
    }

    /** Sends {@code signal} to the robot's gst-launch child: STOP hangs the pipeline (its connection stays open), CONT resumes it. */
    void signalStream(final String signal) {
        for (final long pid : dev.vigil.testkit.Processes.descendantsMatching(agent.pid(), "gst-launch-1.0")) {
            dev.vigil.testkit.Processes.signal(pid, signal);
        }
    }

    /** The bridge's base URL. */
    String base() {
        return base;
    }

    /** Puts the robot back to on demand after an operator's stop or a disabled camera. */
    void enableCamera() throws IOException, InterruptedException {
        send("POST", "/robots/default/camera/enable");
    }

    /** Stops the agent as systemd would (SIGTERM: it publishes offline and exits). */
    void stopAgent() {
        agent.signal("TERM");
        agent.awaitExit(Duration.ofSeconds(20));
        agent.close();
    }

    private String bridgeConfig() {
        return """
                vigil.bridge {
                  robots.default { base-topic = "robot/stream", relay-path = "%s",
                                   publish-user = "%s", publish-password-hash = "%s" }
                  viewer-urls { rtsp = "%s", hls = "%s", webrtc = "%s", rtmp = "%s" }
                  auth.users {
                    %s { password-hash = "%s", role = viewer }
                    %s { password-hash = "%s", role = operator }
                    %s { password-hash = "%s", role = viewer }
                  }
                  views { ttl = %ds, linger = %ds }
                  relay.api { url = "%s", user = "vigil-bridge", password = "%s" }
                  recording { enabled = true, relay-playback = "%s" }
                }
                """.formatted(PATH, ROBOT_USER, PasswordHash.of(ROBOT_PASSWORD), relay.rtspUrl("{path}"),
                relay.hlsUrl("{path}"),
                webrtcUrl != null ? webrtcUrl : "http://" + relay.host() + ":" + relay.webrtcPort() + "/{path}", relay.rtmpUrl("{path}"),
                VIEWER, PasswordHash.of(VIEWER_PASSWORD), OPERATOR, PasswordHash.of(OPERATOR_PASSWORD),
                NEWCOMER, PasswordHash.of(NEWCOMER_PASSWORD),
                VIEW_TTL.toSeconds(), LINGER.toSeconds(), relay.apiUrl(), RELAY_API_PASSWORD, relay.playbackUrl());
    }

    /** The page's address. */
    String appUrl() {
        return base + "/app/";
    }

    MediaMtx relay() {
        return relay;
    }

    /** True while the relay has the robot's stream. */
    boolean relayHasStream() {
        return relay.publishers().contains(PATH);
    }

    List<String> bridgeLines() {
        return bridge.lines();
    }

    /** {@code GET /robots/default} as the operator. */
    String robot() throws IOException, InterruptedException {
        return send("GET", "/robots/default").body();
    }

    /** {@code method path} as the operator. */
    HttpResponse<String> send(final String method, final String path) throws IOException, InterruptedException {
        final String basic = Base64.getEncoder().encodeToString((OPERATOR + ":" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        final List<AutoCloseable> reversed = new ArrayList<>(parts);
        java.util.Collections.reverse(reversed);
        for (final AutoCloseable part : reversed) {
            try {
                part.close();
            } catch (final Exception e) {
                org.slf4j.LoggerFactory.getLogger(VigilSystem.class).warn("Could not stop {}: {}", part, e.toString());
            }
        }
        http.close();
    }
}
