package dev.vigil.agent;

import com.typesafe.config.ConfigFactory;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.config.SettingsLoader;
import dev.vigil.agent.pipeline.LaunchSpecs;
import dev.vigil.common.mqtt.SingleThreadLoop;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.CommandParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code --cds-training}: what the launcher runs once, with {@code -XX:DumpLoadedClassList}, to
 * build the AppCDS archive of the classes a real run loads. It runs the agent for a moment against
 * a broker address where nothing listens (the connect path), gives it a start and a stop (the launch
 * of a one-buffer test pipeline, the supervisor, the state JSON) and a malformed command, then exits.
 * Nothing is published anywhere; everything it writes is in a temporary folder it removes.
 */
final class Training {

    private Training() {
    }

    static int run() throws Exception {
        final Path dir = Files.createTempDirectory("vigil-agent-training");
        try {
            Files.writeString(dir.resolve("training.pipeline"), "# A one-buffer pipeline for --cds-training.\n# param url\n"
                    + "videotestsrc num-buffers=1 ! progressreport update-freq=1 silent=false ! fakesink\n", StandardCharsets.UTF_8);
            final AgentSettings settings = SettingsLoader.load(ConfigFactory.parseString(
                    "vigil.agent { mqtt { host = \"127.0.0.1\", port = 9, reconnect-initial-delay = 200ms },"
                            + " pipeline { dir = \"" + dir + "\", name = training },"
                            + " supervisor.pid-file = \"" + dir.resolve("gst.pid") + "\","
                            + " hold-file = \"" + dir.resolve("hold.json") + "\","
                            + " snapshot.dir = \"" + dir.resolve("snapshots") + "\","
                            + " motion.mode-file = \"" + dir.resolve("motion.json") + "\" }")
                    .withFallback(ConfigFactory.defaultReference()).resolve());
            SingleThreadLoop.withoutRxJavaThreads();
            final Agent agent = new Agent(settings, new LaunchSpecs(settings, Clock.systemUTC()), Clock.systemUTC());
            final Thread loop = new Thread(() -> {
                try {
                    agent.run();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "training");
            loop.setDaemon(true);
            agent.start();
            loop.start();
            final Command start = CommandParser.parse("{\"command\":\"start\",\"lease\":\"PT5S\"}".getBytes(StandardCharsets.UTF_8));
            agent.train(start);
            Thread.sleep(Duration.ofSeconds(2).toMillis());
            agent.train(CommandParser.parse("stop".getBytes(StandardCharsets.UTF_8)));
            agent.trainRefused("unknown command 'jump'");
            Thread.sleep(Duration.ofMillis(500).toMillis());
            agent.shutdownQuietly();
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
