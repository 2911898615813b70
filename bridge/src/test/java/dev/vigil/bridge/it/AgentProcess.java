package dev.vigil.bridge.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real agent jar (test-pattern template, robot {@code default}) as a process, configured with the
 * original script's environment variables and, for what the script had no variable for (the
 * template, the robot id, the PID file), an operator's file given with {@code --config}.
 */
final class AgentProcess implements AutoCloseable {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path AGENT_JAR = REPO.resolve("agent/target/vigil-agent.jar");

    private final Process process;

    private AgentProcess(final Process process) {
        this.process = process;
    }

    /** Starts the agent; {@code env} holds the MQTT_* and MEDIA_* variables. */
    static AgentProcess start(final Map<String, String> env) throws IOException {
        if (!Files.exists(AGENT_JAR)) {
            throw new IllegalStateException("build the agent first (mvn -pl agent package): " + AGENT_JAR + " is missing");
        }
        final Path conf = Files.createTempFile("vigil-agent", ".conf");
        Files.writeString(conf, """
                vigil.agent {
                  robot-id = "default"
                  pipeline { name = "testsrc", dir = "%s" }
                  supervisor.pid-file = "%s"
                  hold-file = "%s"
                }
                """.formatted(REPO.resolve("pipelines"), Files.createTempDirectory("vigil-agent").resolve("gst.pid"),
                Files.createTempDirectory("vigil-agent").resolve("hold.json")));
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", AGENT_JAR.toString(), "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("vigil-agent", ".log").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(new HashMap<>(env));
        return new AgentProcess(builder.start());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
