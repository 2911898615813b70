package dev.vigil.agent;

import dev.vigil.agent.config.AgentSettings;
import dev.vigil.common.config.ConfigProblemsException;
import dev.vigil.common.mqtt.SingleThreadLoop;
import dev.vigil.agent.config.SettingsLoader;
import dev.vigil.agent.pipeline.LaunchSpecs;
import dev.vigil.agent.pipeline.PipelineException;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** The agent daemon: parse the command line, load the config, build the parts, run until SIGTERM. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private static final int CONFIG_ERROR = 2;

    private Main() {
    }

    public static void main(final String[] args) throws Exception {
        final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        final Cli cli;
        try {
            cli = Cli.parse(List.of(args));
        } catch (final IllegalArgumentException e) {
            Cli.print(out, "vigil-agent: " + e.getMessage() + "\n");
            System.exit(CONFIG_ERROR);
            return;
        }
        if (cli.mode() == Cli.Mode.CDS_TRAINING) {
            System.exit(Training.run());
        }
        if (cli.mode() == Cli.Mode.HELP || cli.mode() == Cli.Mode.VERSION) {
            Cli.print(out, cli.mode() == Cli.Mode.HELP ? Cli.HELP : "vigil-agent " + version() + "\n");
            return;
        }
        if (cli.configFile() != null) {
            System.setProperty("config.file", cli.configFile().toString());
        }
        final AgentSettings settings;
        final LaunchSpecs launchSpecs;
        try {
            settings = SettingsLoader.loadDefault();
            if (cli.mode() == Cli.Mode.LIST_PIPELINES) {
                System.exit(Tools.listPipelines(settings, out));
            }
            launchSpecs = new LaunchSpecs(settings, Clock.systemUTC());
        } catch (final ConfigProblemsException e) {
            e.problems().forEach(problem -> LOG.error("config: {}", problem));
            LOG.error("not starting: {} configuration problem(s)", e.problems().size());
            System.exit(CONFIG_ERROR);
            return;
        } catch (final PipelineException e) {
            LOG.error("pipeline: {}", e.getMessage());
            System.exit(CONFIG_ERROR);
            return;
        }
        if (cli.mode() == Cli.Mode.DRY_RUN) {
            System.exit(Tools.dryRun(settings, launchSpecs, out));
        }
        LOG.info("vigil-agent {} starting: robot {}, pipeline {}, {}, MQTT {}", version(), settings.robotId(),
                settings.pipeline().name(), settings.media(), settings.mqtt());
        SingleThreadLoop.withoutRxJavaThreads();
        final Agent agent = new Agent(settings, launchSpecs, Clock.systemUTC());
        final Thread hook = new Thread(agent::shutdown, "shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        // SIGTERM (systemd stop) and SIGINT: stop cleanly and exit 0, rather than the JVM's 143.
        for (final String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> new Thread(() -> {
                agent.shutdown();
                Runtime.getRuntime().halt(0);
            }, "signal-" + name).start());
        }
        agent.start();
        agent.run();
    }

    static String version() {
        final String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
