package dev.vigil.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.EventMessage;
import dev.vigil.protocol.Hold;
import dev.vigil.protocol.Snapshots;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import dev.vigil.protocol.Topics;
import dev.vigil.testkit.MqttProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Motion-triggered streaming and snapshots with the real agent jar, a real Mosquitto, the real
 * MediaMTX and real gst-launch-1.0 running the real motioncells on the test pattern: the moving ball
 * against a still pattern.
 */
class MotionIT extends RealServers {

    private static final Duration START = Duration.ofSeconds(30);
    /** An agent with motion mode on, watching {@code watchPattern}, streaming {@code streamPattern} at 160x120. */
    private static AgentUnderTest agent(final String name, final boolean motion, final String watchPattern,
                                        final String streamPattern) {
        final Path dir = Path.of("target", "motion", name).toAbsolutePath();
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENT_MOTION", Boolean.toString(motion));
        env.put("AGENT_SNAPSHOT_DIR", dir.resolve("snapshots").toString());
        env.put("-Dvigil.agent.motion.stream-lease", "4s");
        env.put("-Dvigil.agent.motion.gap", "2s");
        env.put("-Dvigil.agent.motion.watch-params.pattern", watchPattern);
        env.put("-Dvigil.agent.pipeline.params.pattern", streamPattern);
        env.put("-Dvigil.agent.pipeline.params.width", "160");
        env.put("-Dvigil.agent.pipeline.params.height", "120");
        try {
            java.nio.file.Files.deleteIfExists(Path.of("target", "motion-modes", name + ".json"));
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return AgentUnderTest.start(name, broker, relay, env, AgentUnderTest.MQTT_PASSWORD);
    }

    private static List<EventMessage> motionEvents(final AgentUnderTest agent) {
        return agent.events().stream().filter(e -> e.type() == EventMessage.Type.MOTION).toList();
    }

    @Test
    void motion_startsOneLeasedStream_withEventAndSnapshot_andTheWatcherResumesWhenItEnds() {
        try (AgentUnderTest agent = agent("m-ball", true, "ball", "colors")) {
            await().atMost(START).until(() -> motionEvents(agent).size() == 1);
            final EventMessage event = motionEvents(agent).get(0);
            assertEquals("motion-1", event.requestId());
            assertTrue(event.area() >= 0.02, "area " + event.area());
            agent.awaitState(StreamState.STREAMING, START);
            final StateMessage streaming = agent.state();
            assertEquals("motion-1", streaming.requestId());
            assertNotNull(streaming.leaseUntil(), "a motion stream is leased");
            assertTrue(agent.watchers().isEmpty(), "the watcher gave the camera up: " + agent.children());
            await().atMost(Duration.ofSeconds(15)).until(() -> !agent.snapshots().isEmpty());
            assertNull(Snapshots.problemWith(agent.snapshots().get(0)));

            // The stream's picture is still: its lease runs out, the robot stops, the watcher resumes; the ball
            // still moves, but within the cool-down no other event (and no other stream) follows.
            agent.awaitState(StreamState.IDLE, START);
            await().atMost(START).until(() -> agent.watchers().size() == 1);
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() ->
                    motionEvents(agent).size() == 1 && agent.streamState() == StreamState.IDLE);
            final List<StreamState> seen = agent.states().stream().map(StateMessage::state).distinct().toList();
            assertEquals(List.of(StreamState.IDLE, StreamState.STARTING, StreamState.STREAMING, StreamState.STOPPING),
                    seen, "states " + agent.states());
        }
    }

    @Test
    void stillPattern_isWatched_withoutEventsOrStreams() {
        try (AgentUnderTest agent = agent("m-still", true, "colors", "colors")) {
            await().atMost(START).until(() -> agent.watchers().size() == 1);
            assertTrue(agent.process.anyLineContains("launching the motion watcher"));
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() ->
                    agent.events().isEmpty() && agent.streamState() == StreamState.IDLE && agent.watchers().size() == 1);
            assertTrue(agent.states().stream().allMatch(s -> s.state() == StreamState.IDLE), "states " + agent.states());
        }
    }

    @Test
    void motionWhileStreaming_extendsTheLease_outlastsAViewerWhoLeaves_untilMotionModeIsSwitchedOff() {
        try (AgentUnderTest agent = agent("m-extend", true, "ball", "ball")) {
            agent.awaitState(StreamState.STREAMING, START);
            final Instant firstLeaseEnd = agent.state().leaseUntil();
            // The ball keeps moving in the stream too: the stream outlives its first lease, with one event.
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.state().leaseUntil().isAfter(firstLeaseEnd.plusSeconds(1)));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    agent.streamState() == StreamState.STREAMING && motionEvents(agent).size() == 1);
            assertTrue(Instant.now().isAfter(firstLeaseEnd), "the first lease is over, the stream goes on");

            // A viewer comes and goes (the bridge's views hold their own lease and let go of it): motion's stream goes on.
            agent.send("{\"command\":\"start\",\"lease\":\"PT30S\",\"holder\":\"views\"}");
            await().atMost(START).until(() -> agent.state().leases().equals(List.of("motion", "views")));
            agent.send("{\"command\":\"stop\",\"holder\":\"views\"}");
            await().atMost(START).until(() -> agent.state().leases().equals(List.of("motion")));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    agent.streamState() == StreamState.STREAMING);

            assertTrue(agent.state().motion(), "the state says motion mode is on");
            agent.send("motion-off");
            await().atMost(START).until(() -> !agent.state().motion());
            agent.awaitState(StreamState.IDLE, START);
            assertEquals(List.of(), agent.state().leases(), "motion-off let go of motion's lease");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> agent.children().isEmpty());
            agent.send("motion-on");
            await().atMost(START).until(() -> agent.streamState() == StreamState.STREAMING || agent.watchers().size() == 1);
        }
    }

    @Test
    void privacy_stopsTheWatcher_andRefusesPictures_untilItIsLifted() throws Exception {
        final String control = Topics.control(Topics.fleetBase("m-privacy"));
        try (AgentUnderTest agent = agent("m-privacy", true, "colors", "colors")) {
            // The watcher may run before the agent has connected: wait for its first state too.
            await().atMost(START).until(() -> agent.watchers().size() == 1 && agent.state() != null);
            agent.probe.publish(control, new ControlMessage(Hold.PRIVACY, "otto", Instant.now()).toJson(), true);
            await().atMost(START).until(() -> agent.state().hold() == Hold.PRIVACY && agent.children().isEmpty());
            assertTrue(agent.state().motion(), "motion mode stays on; the camera is off");
            agent.send("snapshot");
            await().atMost(START).until(() -> agent.state().lastError() != null
                    && agent.state().lastError().contains("snapshot refused: the camera is disabled (privacy)"));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    agent.children().isEmpty() && agent.snapshots().isEmpty() && agent.events().isEmpty());

            agent.probe.publish(control, new ControlMessage(Hold.NONE, "otto", Instant.now()).toJson(), true);
            await().atMost(START).until(() -> agent.state().hold() == Hold.NONE && agent.watchers().size() == 1);
        } finally {
            try (MqttProbe cleaner = MqttProbe.connect(broker.host(), broker.port(), AgentUnderTest.PROBE_USER,
                    AgentUnderTest.PROBE_PASSWORD)) {
                cleaner.publish(control, new byte[0], true);
            }
            java.nio.file.Files.deleteIfExists(Path.of("target", "pids", "m-privacy.hold.json"));
        }
    }

    @Test
    void snapshotCommand_publishesSmallJpeg_atIdleWithoutWatcher_andWhileStreaming() {
        try (AgentUnderTest agent = agent("m-snap", false, "colors", "smpte")) {
            agent.awaitState(StreamState.IDLE, START);
            agent.send("snapshot");
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.snapshots().size() == 1);
            assertNull(Snapshots.problemWith(agent.snapshots().get(0)));
            await().atMost(Duration.ofSeconds(15)).until(() -> agent.children().isEmpty());

            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
            agent.send("{\"command\":\"snapshot\",\"requestId\":\"snap-2\"}");
            await().atMost(Duration.ofSeconds(15)).until(() -> agent.snapshots().size() == 2);
            assertNull(Snapshots.problemWith(agent.snapshots().get(1)));
            assertEquals(1, agent.children().size(), "the stream took the picture itself");
            agent.send("stop");
            agent.awaitState(StreamState.IDLE, START);
        }
    }
}
