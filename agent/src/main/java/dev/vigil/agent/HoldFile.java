package dev.vigil.agent;

import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.InvalidMessageException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's hold as the agent last heard it, kept on disk (the {@code B/control} JSON) so that
 * a restarted agent obeys it before the broker has sent anything. Written atomically; a file that
 * cannot be read or written leaves the hold in memory only, with a warning.
 */
final class HoldFile {

    private static final Logger LOG = LoggerFactory.getLogger(HoldFile.class);

    private final Path file;

    /** {@code file} may be {@code null}: nothing is kept. */
    HoldFile(final Path file) {
        this.file = file;
    }

    /** The hold kept by an earlier run, if any. */
    Optional<ControlMessage> load(final Instant now) {
        if (file == null || !Files.exists(file)) {
            if (file != null && !Files.isDirectory(file.toAbsolutePath().getParent())) {
                LOG.warn("the hold file's folder {} does not exist: an operator's hold binds this run only",
                        file.toAbsolutePath().getParent());
            }
            return Optional.empty();
        }
        try {
            final ControlMessage kept = ControlMessage.decode(Files.readAllBytes(file), now);
            if (kept.hold().holds()) {
                LOG.info("hold kept from an earlier run: {}{}", kept.hold().wire(), kept.by() == null ? "" : " by " + kept.by());
            }
            return Optional.of(kept);
        } catch (final IOException | InvalidMessageException e) {
            LOG.warn("cannot read the hold file {}: {}; waiting for the broker's", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Keeps {@code message}. */
    void save(final ControlMessage message) {
        if (file == null || !Files.isDirectory(file.toAbsolutePath().getParent())) {
            return;
        }
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(temp, message.toJson());
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (final IOException e) {
            LOG.warn("cannot keep the hold in {}: {}", file, e.getMessage());
        }
    }
}
