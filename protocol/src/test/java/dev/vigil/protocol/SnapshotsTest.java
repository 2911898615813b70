package dev.vigil.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SnapshotsTest {

    private static byte[] jpeg(final int length) {
        final byte[] bytes = new byte[length];
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        bytes[length - 2] = (byte) 0xff;
        bytes[length - 1] = (byte) 0xd9;
        return bytes;
    }

    @Test
    void problemWith_acceptsWholeJpeg_upToTheLimit() {
        assertNull(Snapshots.problemWith(jpeg(Snapshots.MAX_BYTES)));
    }

    @Test
    void problemWith_refusesTooLargeCutOrEmpty() {
        assertEquals("snapshot of 102401 bytes is larger than 102400", Snapshots.problemWith(jpeg(Snapshots.MAX_BYTES + 1)));
        final byte[] cut = jpeg(100);
        cut[99] = 0;
        assertEquals("snapshot is not a complete JPEG", Snapshots.problemWith(cut));
        assertEquals("snapshot is empty", Snapshots.problemWith(new byte[0]));
    }
}
