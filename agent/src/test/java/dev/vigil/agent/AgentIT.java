package dev.vigil.agent;

import static dev.vigil.agent.AgentUnderTest.MQTT_PASSWORD;
import static dev.vigil.agent.AgentUnderTest.RELAY_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.Hold;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import dev.vigil.protocol.Topics;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.MqttProbe;
import dev.vigil.testkit.Processes;
import dev.vigil.testkit.MediaMtx;
import dev.vigil.testkit.Java;
import dev.vigil.testkit.StreamReader;
import dev.vigil.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent jar against a real Mosquitto, a real MediaMTX relay and real gst-launch-1.0 processes. */
class AgentIT extends RealServers {

    private static final Duration START = Duration.ofSeconds(30);
    @Test
    void start_streamsFrames_andStopEndsPublisherCleanly() {
        try (AgentUnderTest agent = AgentUnderTest.start("r-start", broker, relay);
             StreamReader reader = StreamReader.open(relay.rtmpUrl("live/r-start"))) {
            agent.awaitState(StreamState.IDLE, START);
            assertEquals(Topics.ONLINE, agent.availability());
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
            await().atMost(START).until(() -> reader.frames() > 30);
            assertEquals(640, reader.width());
            assertEquals(1, agent.children().size());
            final long pid = agent.children().get(0);

            final int transitions = agent.states().size();
            agent.send("start");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> agent.streamState() == StreamState.STREAMING && agent.children().equals(List.of(pid)));
            assertEquals(StreamState.STREAMING, agent.states().get(agent.states().size() - 1).state());
            assertTrue(agent.states().subList(transitions, agent.states().size()).stream()
                    .allMatch(s -> s.state() == StreamState.STREAMING), "a duplicate start changed the state");

            agent.send("stop");
            agent.awaitState(StreamState.IDLE, START);
            assertFalse(Processes.isAlive(pid), "gst-launch-1.0 still runs after stop");
            assertTrue(agent.process.anyLineContains("stopped cleanly (EOS sent)"), "gst-launch did not exit 0 after SIGINT");
            await().atMost(Duration.ofSeconds(10)).until(() -> !relay.ready("live/r-start"));

            final int afterStop = agent.states().size();
            agent.send("stop");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> agent.states().size() == afterStop);
            assertTrue(agent.children().isEmpty());
        }
    }

    @Test
    void privacyHold_stopsStream_refusesStarts_andSurvivesAgentRestart() throws Exception {
        final String control = Topics.control(Topics.fleetBase("r-hold"));
        try (AgentUnderTest agent = AgentUnderTest.start("r-hold", broker, relay)) {
            agent.awaitState(StreamState.IDLE, START);
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
            agent.probe.publish(control, new ControlMessage(Hold.PRIVACY, "otto", java.time.Instant.now()).toJson(), true);
            await().atMost(START).until(() -> agent.streamState() == StreamState.IDLE && agent.state().hold() == Hold.PRIVACY);
            assertTrue(agent.children().isEmpty(), "gst-launch-1.0 still runs under the privacy hold");
            agent.send("start");
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.state().lastError() != null
                    && agent.state().lastError().contains("start refused: the camera is disabled (privacy)"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> agent.children().isEmpty());
        }
        // A new agent process learns the hold from the retained message before any command.
        try (AgentUnderTest agent = AgentUnderTest.start("r-hold", broker, relay)) {
            await().atMost(START).until(() -> agent.state() != null && agent.state().hold() == Hold.PRIVACY);
            agent.send("start");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> agent.children().isEmpty()
                    && agent.streamState() == StreamState.IDLE);
            agent.probe.publish(control, new ControlMessage(Hold.NONE, "otto", java.time.Instant.now()).toJson(), true);
            await().atMost(START).until(() -> agent.state().hold() == Hold.NONE);
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
            agent.send("stop");
            agent.awaitState(StreamState.IDLE, START);
        } finally {
            try (MqttProbe cleaner = MqttProbe.connect(broker.host(), broker.port(), AgentUnderTest.PROBE_USER,
                    AgentUnderTest.PROBE_PASSWORD)) {
                cleaner.publish(control, new byte[0], true);
            }
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("target", "pids", "r-hold.hold.json"));
        }
    }

    @Test
    void killedChild_isRestarted_andFramesFlowAgain() {
        try (AgentUnderTest agent = AgentUnderTest.start("r-kill", broker, relay)) {
            agent.awaitState(StreamState.IDLE, START);
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
            final long first = agent.children().get(0);
            Processes.signal(first, "KILL");
            await().atMost(START).until(() -> agent.states().stream().anyMatch(s -> s.state() == StreamState.RETRYING));
            agent.awaitState(StreamState.STREAMING, START);
            assertEquals(1, agent.state().restarts());
            try (StreamReader reader = StreamReader.openRtspTcp(relay.rtspUrl("live/r-kill"))) {
                await().atMost(START).until(() -> reader.frames() > 15);
            }
            final List<Long> children = agent.children();
            assertEquals(1, children.size());
            assertNotEquals(first, children.get(0));
        }
    }

    @Test
    void relayDown_retriesWithGrowingDelays_andStreamsWhenItComesBack() throws Exception {
        try (MediaMtx ownRelay = MediaMtx.start();
             AgentUnderTest agent = AgentUnderTest.start("r-relay", broker, ownRelay,
                     Map.of("-Dvigil.agent.supervisor.failure-budget.count", "20"), MQTT_PASSWORD)) {
            agent.awaitState(StreamState.IDLE, START);
            ownRelay.stop();
            agent.send("start");
            await().atMost(START).until(() -> agent.state() != null && agent.state().restarts() >= 3);
            assertTrue(agent.process.lines().stream().anyMatch(l -> l.contains("-> retrying")));
            final List<Double> delays = agent.process.lines().stream()
                    .filter(l -> l.contains("-> retrying") && l.contains(" in "))
                    .map(l -> Double.parseDouble(l.replaceAll(".* in ([0-9.]+) s.*", "$1")))
                    .toList();
            assertTrue(delays.size() >= 3 && delays.get(2) > delays.get(0), "delays did not grow: " + delays);
            ownRelay.restart();
            agent.awaitState(StreamState.STREAMING, Duration.ofSeconds(40));
            try (StreamReader reader = StreamReader.openRtspUdp(ownRelay.rtspUrl("live/r-relay"))) {
                await().atMost(START).until(() -> reader.frames() > 15);
            }
        }
    }

    @Test
    void missingCamera_endsFailed_withCameraErrorAndNoBusyLoop() {
        try (AgentUnderTest agent = AgentUnderTest.start("r-cam", broker, relay, Map.of("AGENT_PIPELINE", "picam-x264"),
                MQTT_PASSWORD)) {
            agent.awaitState(StreamState.IDLE, START);
            agent.send("start");
            agent.awaitState(StreamState.FAILED, Duration.ofSeconds(60));
            final StateMessage failed = agent.state();
            assertNotNull(failed.lastError());
            assertTrue(failed.lastError().contains("Could not find any supported camera"), failed.lastError());
            final long launches = agent.process.lines().stream().filter(l -> l.contains("launching gst-launch-1.0")).count();
            assertEquals(5, launches, "one launch per failure of the budget");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                    .until(() -> agent.process.lines().stream().filter(l -> l.contains("launching gst-launch-1.0")).count() == launches);
            assertTrue(agent.children().isEmpty());
        }
    }

    @Test
    void brokerRestart_agentReconnectsRepublishesAndObeys() {
        try (Mosquitto ownBroker = Mosquitto.builder()
                .user(AgentUnderTest.MQTT_USER, MQTT_PASSWORD)
                .user(AgentUnderTest.PROBE_USER, AgentUnderTest.PROBE_PASSWORD)
                .start();
             AgentUnderTest agent = AgentUnderTest.start("r-broker", ownBroker, relay)) {
            agent.awaitState(StreamState.IDLE, START);
            agent.probe.close();
            ownBroker.stop();
            await().atMost(START).until(() -> agent.process.anyLineContains("unavailable"));
            ownBroker.restart();
            try (MqttProbe probe = MqttProbe.connect(ownBroker.host(), ownBroker.port(), AgentUnderTest.PROBE_USER,
                    AgentUnderTest.PROBE_PASSWORD)) {
                probe.subscribe(agent.topic + "/#");
                // The broker has no persistence: the state and availability it holds now were republished after the reconnect.
                await().atMost(START).until(() -> probe.latest(Topics.availability(agent.topic)).orElse(""), Topics.ONLINE::equals);
                await().atMost(START).until(() -> probe.latest(Topics.state(agent.topic)).orElse("").contains("\"idle\""));
                probe.publish(agent.topic, "start");
                await().atMost(START).until(() -> probe.latest(Topics.state(agent.topic)).orElse("").contains("\"streaming\""));
                assertTrue(agent.process.isAlive());
            }
        }
    }

    /**
     * SIGTERM while the broker is away: the agent waits (bounded) for the reconnect and then says
     * goodbye, so the restarted broker (no persistence, so no Will of the old connection) holds the
     * robot's retained {@code offline} and {@code idle} instead of nothing.
     */
    @Test
    void sigterm_duringBrokerOutage_waitsForTheReconnect_andLeavesOfflineAndIdleRetained() {
        try (Mosquitto ownBroker = Mosquitto.builder()
                .user(AgentUnderTest.MQTT_USER, MQTT_PASSWORD)
                .user(AgentUnderTest.PROBE_USER, AgentUnderTest.PROBE_PASSWORD)
                .start();
             // A long step bound: the broker's restart on a loaded machine fits in its half.
             AgentUnderTest agent = AgentUnderTest.start("r-goodbye", ownBroker, relay,
                     Map.of("-Dvigil.agent.shutdown.step-timeout", "40s"), MQTT_PASSWORD)) {
            agent.awaitState(StreamState.IDLE, START);
            agent.probe.close();
            ownBroker.stop();
            await().atMost(START).until(() -> agent.process.anyLineContains("unavailable"));
            agent.process.signal("TERM");
            await().atMost(START).until(() -> agent.process.anyLineContains("waiting up to 20000 ms for the reconnect"));
            ownBroker.restart();
            assertEquals(0, agent.process.awaitExit(Duration.ofSeconds(60)));
            try (MqttProbe late = MqttProbe.connect(ownBroker.host(), ownBroker.port(), AgentUnderTest.PROBE_USER,
                    AgentUnderTest.PROBE_PASSWORD)) {
                late.subscribe(agent.topic + "/#");
                await().atMost(Duration.ofSeconds(10)).until(() -> late.messages(Topics.availability(agent.topic)).stream()
                        .anyMatch(m -> m.retained() && m.text().equals(Topics.OFFLINE)));
                await().atMost(Duration.ofSeconds(10)).until(() -> late.messages(Topics.state(agent.topic)).stream()
                        .anyMatch(m -> m.retained() && m.text().contains("\"idle\"")));
            }
        }
    }

    @Test
    void wrongMqttPassword_logsOneClearErrorKeepsRetrying_andStopsWithoutWaitingForAReconnect() {
        final long refusedBefore = broker.log().stream().filter(l -> l.contains("not authorised")).count();
        try (AgentUnderTest agent = AgentUnderTest.start("r-badpw", broker, relay, Map.of(), "not-the-password-9")) {
            await().atMost(START).until(() -> broker.log().stream().filter(l -> l.contains("not authorised")).count() >= refusedBefore + 3);
            assertEquals(1, agent.process.lines().stream().filter(l -> l.contains("refused the connection: NOT_AUTHORIZED")).count(),
                    "one line for the same refusal, however often it retries: " + agent.process.lines());
            assertTrue(agent.process.isAlive());
            assertTrue(agent.process.lines().stream().noneMatch(l -> l.startsWith("\tat ")), "a stack trace was printed");
            assertTrue(agent.process.lines().stream().noneMatch(l -> l.contains("not-the-password-9")));
            // Never connected, so the broker holds no "online" of this run: SIGTERM does not wait for a reconnect.
            agent.process.signal("TERM");
            assertEquals(0, agent.process.awaitExit(Duration.ofSeconds(30)));
            assertFalse(agent.process.anyLineContains("waiting up to"), "a run that never connected waited for a reconnect");
        }
    }

    @Test
    void malformedPayloads_areIgnoredWithOneWarningAndASummary_andReportedInLastError() {
        try (AgentUnderTest agent = AgentUnderTest.start("r-junk", broker, relay,
                Map.of("-Dvigil.agent.log.repeated-warning-summary-every", "2s"), MQTT_PASSWORD)) {
            agent.awaitState(StreamState.IDLE, START);
            final byte[] random = new byte[512];
            new Random(7).nextBytes(random);
            final byte[] huge = new byte[1024 * 1024];
            Arrays.fill(huge, (byte) 'x');
            final List<byte[]> junk = List.of(random, new byte[] {(byte) 0xC3, 0x28}, huge,
                    AgentUnderTest.utf8("{\"command\":"), AgentUnderTest.utf8("reboot"),
                    AgentUnderTest.utf8("{\"command\":\"start\",\"lease\":\"forever\"}"));
            for (final byte[] payload : junk) {
                agent.send(payload);
            }
            await().atMost(START).until(() -> agent.process.anyLineContains((junk.size() - 1) + " more like this"));
            final List<String> warnings = agent.process.lines().stream().filter(l -> l.contains("ignored a command")).toList();
            assertEquals(2, warnings.size(), "the first in full, then one summary: " + warnings);
            assertTrue(warnings.get(1).contains("the latest: ignored a command") && warnings.get(1).contains("lease"), warnings.get(1));
            await().atMost(START).until(() -> agent.state().lastError() != null && agent.state().lastError().contains("lease"));
            assertEquals(StreamState.IDLE, agent.streamState());
            assertTrue(warnings.stream().allMatch(l -> l.length() < 400), warnings.toString());
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
        }
    }

    @Test
    void tenThousandMalformedCommands_writeAtMost20KBOfLog_andLastErrorNamesTheLatest() {
        try (AgentUnderTest agent = AgentUnderTest.start("r-flood", broker, relay)) {
            agent.awaitState(StreamState.IDLE, START);
            final long before = agent.process.lines().stream().mapToLong(l -> l.length() + 1).sum();
            final int count = 10_000;
            for (int i = 0; i < count - 1; i++) {
                agent.send("jump-" + i);
            }
            agent.send("{\"command\":\"start\",\"lease\":\"the-last-one\"}");
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.state().lastError() != null
                    && agent.state().lastError().contains("the-last-one"));
            // The summary of what the last window counted follows within the summary interval (10 s). The
            // broker may drop some of a flood this fast (its queue per client), so the count is at most the rest.
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.process.lines().stream()
                    .anyMatch(l -> l.contains("more like this") && l.contains("the-last-one")));
            final long summarised = agent.process.lines().stream().filter(l -> l.contains("more like this"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll(".*\\] ([0-9]+) more like this.*", "$1"))).sum();
            assertTrue(summarised > 0 && summarised <= count - 1, summarised + " summarised");
            final long written = agent.process.lines().stream().mapToLong(l -> l.length() + 1).sum() - before;
            assertTrue(written <= 20 * 1024, count + " malformed commands wrote " + written + " bytes of log");
            assertEquals(StreamState.IDLE, agent.streamState());
            assertTrue(agent.process.isAlive());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong CA", "expired", "wrong host name"})
    void tls_badBrokerCertificate_logsOneClearLine_retries_andConnectsOnceFixed(final String fault, @TempDir final Path tmp)
            throws Exception {
        final TestPki pki = TestPki.create(tmp.resolve("pki"));
        final Path robotCa = Files.copy(fault.equals("wrong CA") ? TestPki.create(tmp.resolve("other"), "Other CA").caFile()
                : pki.caFile(), tmp.resolve("robot-ca.pem"));
        final TestPki.Issued presented = switch (fault) {
            case "expired" -> pki.expiredServer();
            case "wrong host name" -> pki.wrongHostServer();
            default -> pki.goodServer();
        };
        final String problem = switch (fault) {
            case "expired" -> "MQTT broker certificate for host 127.0.0.1 expired on " + presented.certificate().getNotAfter().toInstant();
            case "wrong host name" -> "MQTT broker certificate does not match host name 127.0.0.1 (it is for DNS:" + TestPki.OTHER_HOST + ")";
            default -> "MQTT broker certificate for host 127.0.0.1 is not trusted by CA file " + robotCa;
        };
        try (Mosquitto tlsBroker = Mosquitto.builder()
                .user(AgentUnderTest.MQTT_USER, MQTT_PASSWORD)
                .user(AgentUnderTest.PROBE_USER, AgentUnderTest.PROBE_PASSWORD)
                .tls(presented)
                .start();
             AgentUnderTest agent = AgentUnderTest.start("r-tls-" + fault.replace(' ', '-'), tlsBroker, relay,
                     Map.of("MQTT_PORT", Integer.toString(tlsBroker.tlsPort()), "MQTT_TLS", "true", "MQTT_CA_FILE", robotCa.toString(),
                             "-Dvigil.agent.mqtt.reconnect-max-delay", "1s"), MQTT_PASSWORD)) {
            // Each refused handshake: mosquitto logs the client's alert and "Client <unknown> disconnected".
            await().atMost(START).until(() -> tlsBroker.log().stream().filter(l -> l.contains("Client <unknown> disconnected")).count() >= 3);
            final List<String> said = agent.process.lines().stream().filter(l -> l.contains("unavailable")).toList();
            assertEquals(1, said.size(), "one line however often it retries: " + said);
            assertTrue(said.get(0).contains(problem), said.get(0));
            assertTrue(agent.process.lines().stream().noneMatch(l -> l.startsWith("\tat ")), "a stack trace was printed");
            if (fault.equals("wrong CA")) {
                Files.copy(pki.caFile(), robotCa, StandardCopyOption.REPLACE_EXISTING);
            } else {
                tlsBroker.useCertificate(pki.goodServer());
            }
            await().atMost(START).until(() -> agent.process.anyLineContains("MQTT connected to 127.0.0.1:" + tlsBroker.tlsPort() + " after"));
            // A fresh probe: the broker restarted for its new certificate, which ended the first one.
            try (MqttProbe late = MqttProbe.connect(tlsBroker.host(), tlsBroker.port(), AgentUnderTest.PROBE_USER,
                    AgentUnderTest.PROBE_PASSWORD)) {
                late.subscribe(agent.topic + "/#");
                await().atMost(START).until(() -> late.latest(Topics.availability(agent.topic)).orElse(""), Topics.ONLINE::equals);
                await().atMost(START).until(() -> late.latest(Topics.state(agent.topic)).orElse("").contains("\"idle\""));
            }
            assertFalse(agent.everything().contains(MQTT_PASSWORD));
        }
    }

    /** The build's java, and Java 17 (a Raspberry Pi's) where this machine has it. */
    static List<String> javas() {
        final List<String> javas = new ArrayList<>(List.of(Java.binary()));
        if (Files.isExecutable(Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java"))) {
            javas.add("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        }
        return javas;
    }

    @ParameterizedTest
    @MethodSource("javas")
    void launcher_runsTheAgentWithItsFlags_andBuildsAndMapsItsCdsArchive(final String java, @TempDir final Path tmp)
            throws Exception {
        // Laid out as the Ansible role installs it: the launcher beside the jar, and a state folder for the archive.
        final Path install = Files.createDirectories(tmp.resolve("opt"));
        final Path launcher = Files.copy(Java.repoRoot().resolve("agent/vigil-agent"), install.resolve("vigil-agent"));
        Files.copy(Path.of("target", "vigil-agent.jar"), install.resolve("vigil-agent.jar"));
        final Path state = tmp.resolve("state");
        final Map<String, String> env = Map.of(AgentUnderTest.LAUNCHER, launcher.toString(), "JAVA", java,
                "VIGIL_CDS_DIR", state.toString());
        // A robot of its own per java: the broker keeps the last one's retained state.
        try (AgentUnderTest agent = AgentUnderTest.start("r-launcher-" + javas().indexOf(java), broker, relay, env, MQTT_PASSWORD)) {
            agent.awaitState(StreamState.IDLE, Duration.ofSeconds(60));
            final String commandLine = Processes.commandLine(agent.process.pid());
            for (final String flag : List.of("-XX:+UseSerialGC", "-Xint", "-Dio.netty.allocator.type=unpooled",
                    "-XX:SharedArchiveFile=" + state.resolve("vigil-agent-"), "-Dvigil.agent.supervisor.backoff.initial=300ms")) {
                assertTrue(commandLine.contains(flag), flag + " is not in " + commandLine);
            }
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
            agent.send("stop");
            agent.awaitState(StreamState.IDLE, START);
            assertTrue(agent.process.lines().stream().noneMatch(l -> l.contains("[warning]") || l.contains("[error]")),
                    "the JVM printed: " + agent.process.lines());
            agent.process.signal("TERM");
            assertEquals(0, agent.process.awaitExit(Duration.ofSeconds(30)));
        }
        try (java.util.stream.Stream<Path> archives = Files.list(state)) {
            assertEquals(1, archives.filter(f -> f.getFileName().toString().endsWith(".jsa")).count());
        }
    }

    @Test
    void leasedStart_stopsByItself_whenLeaseEnds() {
        try (AgentUnderTest agent = AgentUnderTest.start("r-lease", broker, relay)) {
            agent.awaitState(StreamState.IDLE, START);
            agent.send("{\"command\":\"start\",\"lease\":\"PT6S\",\"requestId\":\"req-42\"}");
            agent.awaitState(StreamState.STREAMING, START);
            assertEquals("req-42", agent.state().requestId());
            assertNotNull(agent.state().leaseUntil());
            agent.awaitState(StreamState.IDLE, Duration.ofSeconds(20));
            assertTrue(agent.process.anyLineContains("lease expired"));
            assertNull(agent.state().leaseUntil());
            assertTrue(agent.children().isEmpty());
        }
    }

    @Test
    void sigterm_whileStreaming_stopsChildPublishesOfflineAndExitsZero() {
        try (AgentUnderTest agent = AgentUnderTest.start("r-term", broker, relay)) {
            agent.awaitState(StreamState.IDLE, START);
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
            final long child = agent.children().get(0);
            agent.process.signal("TERM");
            assertEquals(0, agent.process.awaitExit(Duration.ofSeconds(30)));
            assertFalse(Processes.isAlive(child));
            try (MqttProbe late = MqttProbe.connect(broker.host(), broker.port(), AgentUnderTest.PROBE_USER,
                    AgentUnderTest.PROBE_PASSWORD)) {
                late.subscribe(Topics.availability(agent.topic));
                await().atMost(Duration.ofSeconds(10)).until(() -> late.messages(Topics.availability(agent.topic)).stream()
                        .anyMatch(m -> m.retained() && m.text().equals(Topics.OFFLINE)));
            }
            assertEquals(StreamState.IDLE, agent.streamState());
            assertFalse(agent.everything().contains(MQTT_PASSWORD));
            assertFalse(agent.everything().contains(RELAY_PASSWORD));
        }
    }

    @Test
    void secrets_appearInNoLogLineOrState_atDebugLevel() {
        try (AgentUnderTest agent = AgentUnderTest.start("r-secret", broker, relay, Map.of("AGENT_LOG_LEVEL", "DEBUG"),
                MQTT_PASSWORD)) {
            agent.awaitState(StreamState.IDLE, START);
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
            agent.send("stop");
            agent.awaitState(StreamState.IDLE, START);
            assertTrue(agent.process.anyLineContains("pass=***"), "the masked publish URL was not logged");
            assertFalse(agent.everything().contains(MQTT_PASSWORD));
            assertFalse(agent.everything().contains(RELAY_PASSWORD));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"testsrc", "testsrc-rtsp", "testsrc-srt"})
    void template_publishesIntoMediaMtx_andIsReadBack(final String template) {
        final String path = "live/t-" + template;
        final Map<String, String> env = switch (template) {
            case "testsrc-rtsp" -> Map.of("MEDIA_SERVER", "127.0.0.1:" + relay.rtspPort(),
                    "MEDIA_URL_TEMPLATE", "rtsp://{user}:{pass}@{server}/{path}");
            case "testsrc-srt" -> Map.of("MEDIA_SERVER", "127.0.0.1:" + relay.srtPort(),
                    "MEDIA_URL_TEMPLATE", "srt://{server}?streamid=publish:{path}:{user}:{pass}");
            default -> Map.of();
        };
        final Map<String, String> all = new java.util.HashMap<>(env);
        all.put("AGENT_PIPELINE", template);
        try (AgentUnderTest agent = AgentUnderTest.start("t-" + template, broker, relay, all, MQTT_PASSWORD);
             StreamReader reader = StreamReader.openRtspUdp(relay.rtspUrl(path))) {
            agent.awaitState(StreamState.IDLE, START);
            agent.send("start");
            agent.awaitState(StreamState.STREAMING, START);
            await().atMost(START).until(() -> relay.ready(path));
            await().atMost(START).until(() -> reader.frames() > 15);
            assertEquals(640, reader.width());
            agent.send("stop");
            agent.awaitState(StreamState.IDLE, START);
            await().atMost(Duration.ofSeconds(10)).until(() -> !relay.ready(path));
            assertFalse(agent.everything().contains(RELAY_PASSWORD));
        }
    }
}
