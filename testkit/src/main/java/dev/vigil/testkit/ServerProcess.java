package dev.vigil.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process on fixed loopback ports that can be stopped and started again on the same
 * ports, which is what the broker and relay tests need to prove that clients recover.
 */
final class ServerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final List<String> argv;
    private final Path dir;
    private final List<Integer> ports;
    private final Supplier<String> extraDiagnostics;
    private final Map<String, String> env;
    private ManagedProcess process;

    ServerProcess(final String name, final List<String> argv, final Path dir, final List<Integer> ports,
                  final Supplier<String> extraDiagnostics) {
        this(name, argv, dir, ports, extraDiagnostics, Map.of());
    }

    ServerProcess(final String name, final List<String> argv, final Path dir, final List<Integer> ports,
                  final Supplier<String> extraDiagnostics, final Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.name = name;
        this.argv = List.copyOf(argv);
        this.dir = dir;
        this.ports = List.copyOf(ports);
        this.extraDiagnostics = extraDiagnostics;
    }

    /** Starts it and waits until every port accepts connections; on failure, stops it and says what it printed. */
    synchronized void start() {
        process = ManagedProcess.start(argv, env, dir);
        try {
            for (final int port : ports) {
                Ports.awaitOpen(port, START_TIMEOUT, name);
            }
        } catch (final IllegalStateException e) {
            final String output = String.join("\n", process.lines()) + "\n" + extraDiagnostics.get();
            stop();
            throw new IllegalStateException(e.getMessage() + "; it said:\n" + output, e);
        }
        LOG.info("{} listening on 127.0.0.1:{}", name, ports);
    }

    /** Ends it; the ports stay reserved for {@link #start()} again. */
    synchronized void stop() {
        if (process != null) {
            process.close();
            process = null;
            for (final int port : ports) {
                Ports.awaitClosed(port, Duration.ofSeconds(5));
            }
            LOG.info("{} on 127.0.0.1:{} stopped", name, ports);
        }
    }

    /** Sends SIGINT to the current process, if any (PostgreSQL's fast shutdown); {@link #stop()} still ends it. */
    synchronized void interrupt() {
        if (process != null && process.isAlive()) {
            process.signal("INT");
            try {
                process.awaitExit(java.time.Duration.ofSeconds(10));
            } catch (final IllegalStateException e) {
                LOG.warn("{} did not exit on SIGINT: {}", name, e.getMessage());
            }
        }
    }

    /** Every line the current process printed so far, or none while it is stopped. */
    synchronized List<String> lines() {
        return process == null ? List.of() : process.lines();
    }

    /** The current process's id; throws while it is stopped. */
    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " is stopped");
        }
        return process.pid();
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops it and starts it again on the same ports. */
    synchronized void restart() {
        stop();
        start();
    }

    /** Stops it for good and deletes its working folder. */
    synchronized void close() {
        stop();
        Files2.deleteTree(dir);
    }
}
