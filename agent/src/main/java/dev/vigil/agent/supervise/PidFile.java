package dev.vigil.agent.supervise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime file that holds the gst-launch child's PID while it runs, so that a later run of the
 * agent can end a child that an earlier one left behind (after a {@code kill -9} of the agent, say).
 */
final class PidFile {

    private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);
    private static final String CHILD = "gst-launch-1.0";

    private final Path file;

    PidFile(final Path file) {
        this.file = file;
    }

    void write(final long pid) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, pid + "\n", StandardCharsets.US_ASCII);
        } catch (final IOException e) {
            LOG.warn("cannot write the PID file {}: {}", file, e.getMessage());
        }
    }

    void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (final IOException e) {
            LOG.warn("cannot remove the PID file {}: {}", file, e.getMessage());
        }
    }

    /** Ends the process the file names if it is a live gst-launch-1.0: SIGINT, then SIGKILL after {@code grace}. */
    void endOrphan(final Duration grace) {
        final long pid;
        try {
            if (!Files.exists(file)) {
                return;
            }
            pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (final IOException | NumberFormatException e) {
            LOG.warn("ignoring an unreadable PID file {}", file);
            clear();
            return;
        }
        if (!commandLine(pid).contains(CHILD)) {
            clear();
            return;
        }
        LOG.warn("an earlier run left gst-launch-1.0 (pid {}) running; stopping it", pid);
        Signals.send(pid, Signals.SIGINT);
        final Instant deadline = Instant.now().plus(grace);
        while (Instant.now().isBefore(deadline) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                Thread.sleep(50);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Signals.send(pid, Signals.SIGKILL);
            LOG.warn("killed the left-over gst-launch-1.0 (pid {})", pid);
        } else {
            LOG.info("the left-over gst-launch-1.0 (pid {}) stopped", pid);
        }
        clear();
    }

    private static String commandLine(final long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return "";
        }
    }
}
