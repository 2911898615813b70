package dev.vigil.agent;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line: {@code vigil-agent [--config FILE] [--dry-run | --list-pipelines | --help | --version]}.
 * Help, dry-run and listings are the program's output and go to standard output; logs go to stderr.
 */
record Cli(Path configFile, Mode mode) {

    enum Mode { RUN, DRY_RUN, LIST_PIPELINES, HELP, VERSION, CDS_TRAINING }

    static final String HELP = """
            Usage: vigil-agent [--config FILE] [--dry-run | --list-pipelines | --help | --version]

            Run it through the launcher beside the jar (vigil-agent): it applies the JVM flags that keep
            the agent small on a Raspberry Pi and builds and uses an AppCDS archive.

            Runs on the robot. Listens for start/stop on an MQTT topic and streams the camera to the
            media relay with gst-launch-1.0 while asked, restarting it when it fails.

            Options:
              --config FILE      operator configuration (HOCON), overriding the built-in defaults;
                                 the same as -Dconfig.file=FILE (default location /etc/vigil/agent.conf)
              --dry-run          print the masked gst-launch-1.0 command it would run and check that
                                 every GStreamer element exists (naming the package of a missing one)
              --list-pipelines   list the pipeline templates and their parameters
              --help             this text
              --version          the version

            Environment (overrides the configuration):
              MQTT_BROKER, MQTT_PORT, MQTT_USER, MQTT_PASS, MQTT_TOPIC (default robot/stream), MQTT_TLS
              MEDIA_SERVER (host or host:port), MEDIA_PATH (default live/stream),
              MEDIA_PUBLISH_USER, MEDIA_PUBLISH_PASS, MEDIA_URL_TEMPLATE, MEDIA_TOKEN_AUTH
              ROBOT_ID, AGENT_PIPELINE (default picam-x264), AGENT_PIPELINES_DIR, AGENT_PID_FILE,
              AGENT_MOTION (motion mode at start-up, default false), AGENT_SNAPSHOT_DIR,
              AGENT_HOME_ASSISTANT (Home Assistant discovery, default false),
              AGENT_LOG_LEVEL (INFO; DEBUG shows gst-launch-1.0's own lines)

            Commands on the topic: "start", "stop", "snapshot", "motion-on", "motion-off", or JSON
              {"command":"start","lease":"PT2M","requestId":"..."}
            State (retained JSON) on <topic>/state, online/offline on <topic>/availability, motion
            events on <topic>/event, the latest picture (JPEG, retained) on <topic>/snapshot.
            Every key and default: reference.conf in the jar, or agent/README.md.
            """;

    static Cli parse(final List<String> args) {
        Path config = null;
        Mode mode = Mode.RUN;
        for (int i = 0; i < args.size(); i++) {
            final String arg = args.get(i);
            switch (arg) {
                case "--config" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--config needs a file");
                    }
                    config = Path.of(args.get(++i));
                }
                case "--dry-run" -> mode = Mode.DRY_RUN;
                case "--list-pipelines" -> mode = Mode.LIST_PIPELINES;
                case "-h", "--help" -> mode = Mode.HELP;
                case "--version" -> mode = Mode.VERSION;
                // The launcher's run that builds the AppCDS archive (not for people: see Training).
                case "--cds-training" -> mode = Mode.CDS_TRAINING;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "' (try --help)");
            }
        }
        return new Cli(config, mode);
    }

    static void print(final PrintStream out, final String text) {
        out.print(text);
        out.flush();
    }
}
