package dev.vigil.agent.snapshot;

import dev.vigil.protocol.Snapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The pictures that a camera pipeline's snapshot branch writes ({@code snapshot-00042.jpg}, the
 * newest two kept by {@code multifilesink}). The newest whole one that is young enough is the
 * robot's picture; one that {@code multifilesink} is still writing (no JPEG end marker yet) is passed
 * over for the one before it.
 */
public final class SnapshotFiles {

    private static final Pattern NAME = Pattern.compile("snapshot-(\\d+)\\.jpg");

    private final Path dir;
    private final Clock clock;

    public SnapshotFiles(final Path dir, final Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** A picture and when it was written. */
    public record Picture(byte[] jpeg, Instant taken) {
    }

    /** The folder the pictures go to. */
    public Path dir() {
        return dir;
    }

    /** Makes the folder if it is missing. */
    public void prepare() throws IOException {
        Files.createDirectories(dir);
    }

    /** Removes every picture, so that none from an earlier pipeline is taken for a new one. */
    public void clear() {
        for (final Path file : files()) {
            try {
                Files.deleteIfExists(file);
            } catch (final IOException e) {
                // the next pipeline overwrites it anyway
            }
        }
    }

    /** The newest whole picture written within {@code maxAge}, if any. */
    public Optional<Picture> newest(final Duration maxAge) {
        final Instant oldest = clock.instant().minus(maxAge);
        for (final Path file : files()) {
            try {
                final Instant written = Files.getLastModifiedTime(file).toInstant();
                if (written.isBefore(oldest)) {
                    return Optional.empty();
                }
                final byte[] bytes = Files.readAllBytes(file);
                if (bytes.length >= 4 && isWhole(bytes)) {
                    return Optional.of(new Picture(bytes, written));
                }
            } catch (final IOException e) {
                // multifilesink removed it meanwhile; try the one before
            }
        }
        return Optional.empty();
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(SnapshotFiles::number).reversed())
                    .toList();
        } catch (final IOException e) {
            return List.of();
        }
    }

    private static long number(final Path file) {
        final Matcher name = NAME.matcher(file.getFileName().toString());
        return name.matches() ? Long.parseLong(name.group(1)) : -1;
    }

    private static boolean isWhole(final byte[] bytes) {
        final String problem = Snapshots.problemWith(bytes);
        return problem == null || problem.startsWith("snapshot of ");
    }
}
