package dev.vigil.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private static byte[] jpeg(final byte fill, final boolean whole) {
        final byte[] bytes = new byte[64];
        java.util.Arrays.fill(bytes, fill);
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        if (whole) {
            bytes[62] = (byte) 0xff;
            bytes[63] = (byte) 0xd9;
        }
        return bytes;
    }

    private static void write(final Path dir, final int number, final byte[] bytes, final Instant modified) throws Exception {
        final Path file = dir.resolve(String.format("snapshot-%05d.jpg", number));
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    @Test
    void newest_takesTheHighestNumber_passingOverOneStillBeingWritten(@TempDir final Path dir) throws Exception {
        write(dir, 9, jpeg((byte) 1, true), NOW.minusSeconds(1));
        write(dir, 10, jpeg((byte) 2, true), NOW.minusMillis(100));
        final SnapshotFiles files = new SnapshotFiles(dir, new MutableClock(NOW));
        assertArrayEquals(jpeg((byte) 2, true), files.newest(Duration.ofSeconds(3)).orElseThrow().jpeg());
        write(dir, 11, jpeg((byte) 3, false), NOW);
        assertArrayEquals(jpeg((byte) 2, true), files.newest(Duration.ofSeconds(3)).orElseThrow().jpeg());
    }

    @Test
    void newest_isEmpty_whenThePicturesAreTooOldOrGone(@TempDir final Path dir) throws Exception {
        write(dir, 1, jpeg((byte) 1, true), NOW.minusSeconds(10));
        final SnapshotFiles files = new SnapshotFiles(dir, new MutableClock(NOW));
        assertTrue(files.newest(Duration.ofSeconds(3)).isEmpty());
        files.clear();
        assertTrue(files.newest(Duration.ofHours(1)).isEmpty());
        assertTrue(new SnapshotFiles(dir.resolve("missing"), new MutableClock(NOW)).newest(Duration.ofHours(1)).isEmpty());
    }
}
