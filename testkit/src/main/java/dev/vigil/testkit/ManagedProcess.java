package dev.vigil.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real child process for tests: argv without a shell, stdout and stderr captured line by line
 * (and copied to {@code target/testkit-logs/<name>-<pid>.log}), signals by name, and a
 * {@link #close()} that ends it and every descendant.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Writer logFile;
    private final String name;

    private ManagedProcess(final Process process, final String name, final Path logPath) throws IOException {
        this.process = process;
        this.name = name;
        this.logFile = Files.newBufferedWriter(logPath, StandardCharsets.UTF_8);
        pump(process.getInputStream(), "out");
        pump(process.getErrorStream(), "err");
    }

    /** Starts {@code argv} in {@code workDir} with {@code env} added to this JVM's environment. */
    public static ManagedProcess start(final List<String> argv, final Map<String, String> env, final Path workDir) {
        final ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile());
        builder.environment().putAll(env);
        final String name = Path.of(argv.get(0)).getFileName().toString()
                + (argv.contains("-jar") ? "-" + Path.of(argv.get(argv.indexOf("-jar") + 1)).getFileName() : "");
        try {
            final Process process = builder.start();
            final Path log = Java.logDir().resolve(name + "-" + process.pid() + ".log");
            LOG.info("started {} (pid {}), log {}", name, process.pid(), log);
            return new ManagedProcess(process, name, log);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + argv.get(0), e);
        }
    }

    private void pump(final InputStream stream, final String kind) {
        final Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    synchronized (logFile) {
                        logFile.write(line);
                        logFile.write('\n');
                        logFile.flush();
                    }
                }
            } catch (final IOException e) {
                LOG.debug("{} {} closed: {}", name, kind, e.getMessage());
            }
        }, name + "-" + kind);
        thread.setDaemon(true);
        thread.start();
    }

    /** Every line printed so far, stdout and stderr interleaved in arrival order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** True when some line printed so far contains {@code text}. */
    public boolean anyLineContains(final String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name: "INT", "TERM", "KILL", ... */
    public void signal(final String signalName) {
        Processes.signal(process.pid(), signalName);
    }

    /** The exit code once it has exited. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Waits for the exit and returns the code, or throws when it still runs after {@code timeout}. */
    public int awaitExit(final Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs after " + timeout);
            }
            return process.exitValue();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Ends the process and every descendant: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        final List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        synchronized (logFile) {
            try {
                logFile.close();
            } catch (final IOException e) {
                LOG.debug("closing the log of {}: {}", name, e.getMessage());
            }
        }
    }
}
