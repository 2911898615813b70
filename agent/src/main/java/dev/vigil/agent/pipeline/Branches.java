package dev.vigil.agent.pipeline;

import dev.vigil.agent.config.MotionSettings;
import dev.vigil.agent.config.SnapshotSettings;
import java.util.Locale;

/**
 * The branches that the agent hangs on a template's tap ({@code # tap <tee>}): gst-launch text made
 * here from validated numbers and paths only, never from a message, so it needs none of the checks
 * that template parameter values get. Each starts with a leaky one-buffer queue, so a slow branch
 * drops frames rather than holding up the stream.
 */
public final class Branches {

    /** The file names the snapshot branch writes, numbered; the newest two are kept. */
    public static final String SNAPSHOT_FILES = "snapshot-%05d.jpg";

    private static final String QUEUE = "queue leaky=downstream max-size-buffers=1";

    private Branches() {
    }

    /** A branch: its name (for errors) and its gst-launch text. */
    public record Branch(String name, String text) {
    }

    /**
     * motioncells on small, thinned frames: it posts {@code motion} element messages (motion began,
     * motion finished) that {@code gst-launch-1.0 -m} prints and {@code dev.vigil.agent.motion.MotionSignal} reads.
     */
    public static Branch motion(final MotionSettings motion) {
        return new Branch("motion", QUEUE
                + " ! videorate drop-only=true ! video/x-raw,framerate=" + motion.framerate() + "/1"
                + " ! videoscale ! videoconvert ! video/x-raw,format=RGB,width=" + motion.width() + ",pixel-aspect-ratio=1/1"
                + " ! motioncells display=false postallmotion=false"
                + " sensitivity=" + decimal(motion.sensitivity())
                + " threshold=" + decimal(motion.minArea())
                + " minimummotionframes=" + motion.minFrames()
                + " gap=" + motion.gap().toSeconds()
                + " ! fakesink sync=false async=false");
    }

    /** A JPEG every {@code interval} into {@code dir}, the newest two kept ({@link #SNAPSHOT_FILES}). */
    public static Branch snapshot(final SnapshotSettings snapshot) {
        final long millis = snapshot.interval().toMillis();
        return new Branch("snapshot", QUEUE
                + " ! videorate drop-only=true ! video/x-raw,framerate=1000/" + millis
                + " ! videoscale ! videoconvert ! video/x-raw,format=I420,width=" + snapshot.width() + ",pixel-aspect-ratio=1/1"
                + " ! jpegenc quality=" + snapshot.quality()
                + " ! multifilesink location=" + snapshot.dir().resolve(SNAPSHOT_FILES) + " max-files=2 sync=false async=false");
    }

    private static String decimal(final double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
