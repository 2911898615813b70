package dev.vigil.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.protocol.Snapshots;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class JpegFitterTest {

    /** Noise at quality 1.0: a JPEG far over 100 KiB. */
    static byte[] noisyJpeg(final int width, final int height) throws IOException {
        final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0xffffff));
            }
        }
        final ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        final ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1.0f);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        return out.toByteArray();
    }

    @Test
    void fit_shrinksLargePicture_toAWholeJpegWithinTheLimit() throws Exception {
        final byte[] large = noisyJpeg(640, 480);
        assertTrue(large.length > Snapshots.MAX_BYTES, "the test picture is only " + large.length + " bytes");
        final byte[] fitted = JpegFitter.fit(large);
        assertNull(Snapshots.problemWith(fitted));
        final BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(fitted));
        assertTrue(decoded.getWidth() == 640 || decoded.getWidth() == 320, "width " + decoded.getWidth());
    }

    @Test
    void fit_keepsSmallPicture_asItIs() throws Exception {
        final byte[] small = noisyJpeg(32, 24);
        assertSame(small, JpegFitter.fit(small));
    }

    @Test
    void fit_refusesLargeBytes_thatAreNoPicture() {
        final byte[] junk = new byte[Snapshots.MAX_BYTES + 10];
        final IOException e = assertThrows(IOException.class, () -> JpegFitter.fit(junk));
        assertEquals("the snapshot is not a readable JPEG", e.getMessage());
    }
}
