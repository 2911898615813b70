package dev.vigil.agent.motion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Motion mode as last switched at run time ({@code motion-on}, {@code motion-off}), kept in a small
 * file so that a restarted agent watches (or not) as it was told, not as its configuration says. A
 * folder that does not exist keeps it in memory only, and says so once.
 */
public final class MotionModeFile {

    private static final Logger LOG = LoggerFactory.getLogger(MotionModeFile.class);

    private final Path file;

    public MotionModeFile(final Path file) {
        this.file = file;
    }

    /** The mode the file holds, if it holds one. */
    public Optional<Boolean> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            final String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.contains("\"enabled\":true")) {
                return Optional.of(Boolean.TRUE);
            }
            if (text.contains("\"enabled\":false")) {
                return Optional.of(Boolean.FALSE);
            }
            LOG.warn("ignoring {}: it holds no motion mode", file);
        } catch (final IOException e) {
            LOG.warn("cannot read {}: {}", file, e.getClass().getSimpleName());
        }
        return Optional.empty();
    }

    /** Keeps {@code enabled}; written to a temporary file first, then moved over the old one. */
    public void save(final boolean enabled) {
        if (!Files.isDirectory(file.getParent() == null ? Path.of(".") : file.getParent())) {
            LOG.info("motion mode {} is kept in memory only: {} does not exist", enabled ? "on" : "off", file.getParent());
            return;
        }
        try {
            final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, "{\"enabled\":" + enabled + "}\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            LOG.warn("cannot keep motion mode in {}: {}", file, e.getClass().getSimpleName());
        }
    }
}
