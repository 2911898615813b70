package dev.vigil.agent.snapshot;

import dev.vigil.protocol.Snapshots;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Keeps a snapshot within {@link Snapshots#MAX_BYTES}: a picture that is larger (a detailed scene
 * at a high quality) is encoded again at lower qualities, and at half the size if that is not enough.
 */
public final class JpegFitter {

    private static final float[] QUALITIES = {0.6f, 0.45f, 0.3f};

    private JpegFitter() {
    }

    /** {@code jpeg} itself when it fits, else a smaller encoding of it; throws when it cannot be read. */
    public static byte[] fit(final byte[] jpeg) throws IOException {
        if (jpeg.length <= Snapshots.MAX_BYTES) {
            return jpeg;
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        if (image == null) {
            throw new IOException("the snapshot is not a readable JPEG");
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            for (final float quality : QUALITIES) {
                final byte[] smaller = encode(image, quality);
                if (smaller.length <= Snapshots.MAX_BYTES) {
                    return smaller;
                }
            }
            image = half(image);
        }
        throw new IOException("the snapshot does not fit in " + Snapshots.MAX_BYTES + " bytes");
    }

    private static byte[] encode(final BufferedImage image, final float quality) throws IOException {
        final ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        final ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static BufferedImage half(final BufferedImage image) {
        final BufferedImage smaller = new BufferedImage(Math.max(1, image.getWidth() / 2), Math.max(1, image.getHeight() / 2),
                BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = smaller.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, smaller.getWidth(), smaller.getHeight(), null);
        g.dispose();
        return smaller;
    }
}
