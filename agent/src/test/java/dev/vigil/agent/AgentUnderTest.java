package dev.vigil.agent;

import static org.awaitility.Awaitility.await;

import dev.vigil.protocol.InvalidMessageException;
import dev.vigil.protocol.StateCodec;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import dev.vigil.protocol.Topics;
import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.MqttProbe;
import dev.vigil.testkit.Processes;
import dev.vigil.testkit.MediaMtx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real agent jar as a process (java -jar target/vigil-agent.jar), configured like the original
 * robot script through its environment, plus an MQTT probe that watches its topics.
 */
final class AgentUnderTest implements AutoCloseable {

    static final String MQTT_USER = "robot";
    static final String MQTT_PASSWORD = "mqtt-Pa55-word-7781";
    static final String RELAY_PASSWORD = "relay-Pa55-word-4242";
    static final String PROBE_USER = "probe";
    static final String PROBE_PASSWORD = "probe-Pa55-word-1313";
    /** In the extra environment: run this launcher (agent/vigil-agent, copied beside a jar) instead of java -jar. */
    static final String LAUNCHER = "(launcher)";

    final String name;
    final String topic;
    final ManagedProcess process;
    final MqttProbe probe;

    private AgentUnderTest(final String name, final String topic, final ManagedProcess process, final MqttProbe probe) {
        this.name = name;
        this.topic = topic;
        this.process = process;
        this.probe = probe;
    }

    /** Starts an agent named {@code name} (its topic robots/name/stream and relay stream name) with extra env. */
    static AgentUnderTest start(final String name, final Mosquitto broker, final MediaMtx relay, final Map<String, String> extraEnv,
                                final String mqttPassword) {
        final String topic = Topics.fleetBase(name);
        try {
            java.nio.file.Files.createDirectories(Path.of("target", "pids"));
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        final MqttProbe probe = MqttProbe.connect(broker.host(), broker.port(), PROBE_USER, PROBE_PASSWORD);
        probe.subscribe(topic + "/#");
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("MQTT_BROKER", broker.host());
        env.put("MQTT_PORT", Integer.toString(broker.port()));
        env.put("MQTT_USER", MQTT_USER);
        env.put("MQTT_PASS", mqttPassword);
        env.put("MQTT_TOPIC", topic);
        env.put("MEDIA_SERVER", relay.hostAndPort());
        env.put("MEDIA_PATH", "live/" + name);
        env.put("MEDIA_PUBLISH_USER", "robot");
        env.put("MEDIA_PUBLISH_PASS", RELAY_PASSWORD);
        env.put("AGENT_PIPELINE", "testsrc");
        env.put("AGENT_PIPELINES_DIR", Java.repoRoot().resolve("pipelines").toString());
        env.put("AGENT_PID_FILE", Path.of("target", "pids", name + ".pid").toAbsolutePath().toString());
        env.put("AGENT_HOLD_FILE", Path.of("target", "pids", name + ".hold.json").toAbsolutePath().toString());
        env.put("ROBOT_ID", name);
        env.put("AGENT_SNAPSHOT_DIR", Path.of("target", "snapshots", name).toAbsolutePath().toString());
        extraEnv.forEach((key, value) -> {
            if (!key.startsWith("-D")) {
                env.put(key, value);
            }
        });
        final List<String> options = new ArrayList<>(List.of(
                "-Dvigil.agent.supervisor.backoff.initial=300ms",
                "-Dvigil.agent.supervisor.backoff.max=3s",
                "-Dvigil.agent.supervisor.stop.interrupt-grace=4s",
                "-Dvigil.agent.supervisor.stop.terminate-grace=2s",
                "-Dvigil.agent.mqtt.reconnect-initial-delay=200ms",
                "-Dvigil.agent.mqtt.reconnect-max-delay=2s",
                "-Dvigil.agent.motion.mode-file=" + Path.of("target", "motion-modes", name + ".json").toAbsolutePath()));
        extraEnv.forEach((key, value) -> {
            if (key.startsWith("-D")) {
                options.add(key + "=" + value);
            }
        });
        final List<String> argv = new ArrayList<>();
        if (extraEnv.containsKey(LAUNCHER)) {
            // The launcher (as the unit runs it), with the test's options after its own flags.
            env.remove(LAUNCHER);
            env.put("VIGIL_JAVA_OPTS", String.join(" ", options));
            argv.add(extraEnv.get(LAUNCHER));
        } else {
            argv.add(Java.binary());
            argv.addAll(options);
            argv.addAll(List.of("-jar", Path.of("target", "vigil-agent.jar").toAbsolutePath().toString()));
        }
        final ManagedProcess process = ManagedProcess.start(argv, env, Path.of("."));
        return new AgentUnderTest(name, topic, process, probe);
    }

    static AgentUnderTest start(final String name, final Mosquitto broker, final MediaMtx relay) {
        return start(name, broker, relay, Map.of(), MQTT_PASSWORD);
    }

    void send(final String payload) {
        probe.publish(topic, payload);
    }

    void send(final byte[] payload) {
        probe.publish(topic, payload, false);
    }

    /** Every state message received, decoded. */
    List<StateMessage> states() {
        final List<StateMessage> states = new ArrayList<>();
        for (final MqttProbe.Message message : probe.messages(Topics.state(topic))) {
            try {
                states.add(StateCodec.decode(message.payload()));
            } catch (final InvalidMessageException e) {
                throw new AssertionError("the agent published an invalid state: " + message.text(), e);
            }
        }
        return states;
    }

    StateMessage state() {
        final List<StateMessage> states = states();
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    StreamState streamState() {
        final StateMessage state = state();
        return state == null ? null : state.state();
    }

    String availability() {
        return probe.latest(Topics.availability(topic)).orElse(null);
    }

    void awaitState(final StreamState expected, final Duration timeout) {
        await().atMost(timeout).until(this::streamState, s -> s == expected);
    }

    /** The PIDs of gst-launch-1.0 children of this agent that run the motion watcher (or a picture pipeline). */
    List<Long> watchers() {
        return children().stream().filter(pid -> !Processes.commandLine(pid).contains("location=rtmp")
                && !Processes.commandLine(pid).contains("rtspclientsink") && !Processes.commandLine(pid).contains("srtsink")).toList();
    }

    /** Every event published on the robot's event topic, decoded. */
    List<dev.vigil.protocol.EventMessage> events() {
        final List<dev.vigil.protocol.EventMessage> events = new ArrayList<>();
        for (final MqttProbe.Message message : probe.messages(Topics.event(topic))) {
            try {
                events.add(dev.vigil.protocol.EventMessage.decode(message.payload()));
            } catch (final InvalidMessageException e) {
                throw new AssertionError("the agent published an invalid event: " + message.text(), e);
            }
        }
        return events;
    }

    /** Every picture published on the robot's snapshot topic. */
    List<byte[]> snapshots() {
        return probe.messages(Topics.snapshot(topic)).stream().map(MqttProbe.Message::payload).toList();
    }

    /** The PIDs of gst-launch-1.0 children of this agent. */
    List<Long> children() {
        return Processes.descendantsMatching(process.pid(), "gst-launch-1.0");
    }

    /** Every line the agent printed and every state payload, for secret checks. */
    String everything() {
        final StringBuilder all = new StringBuilder(String.join("\n", process.lines()));
        probe.messages(Topics.state(topic)).forEach(m -> all.append('\n').append(m.text()));
        return all.toString();
    }

    static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.close();
        probe.close();
    }
}
