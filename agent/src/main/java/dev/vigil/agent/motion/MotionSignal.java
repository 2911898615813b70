package dev.vigil.agent.motion;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one line of {@code gst-launch-1.0 -m} says about motion: the {@code motion} element message
 * that {@code motioncells} posts when motion begins ({@code motion_begin}, with the moving cells),
 * when it has ended ({@code motion_finished}, after {@code gap} seconds without any), when there has
 * been none for a while ({@code no_motion}), or when it cannot work ({@code init_error_code},
 * {@code save_error_code}). Every other line is not a signal.
 *
 * @param kind       what happened
 * @param cells      how many of the grid's cells moved (for {@link Kind#BEGIN}), else 0
 * @param streamTime the buffer's running time that the message names
 */
public record MotionSignal(Kind kind, int cells, Duration streamTime) {

    /** The cells of motioncells' default grid (10 x 10). */
    public static final int GRID_CELLS = 100;

    private static final Pattern MESSAGE = Pattern.compile("\\(element\\): motion, (.*?);?\\s*$");
    private static final Pattern TIME = Pattern.compile("\\b(motion_begin|motion_finished|no_motion|motion)=\\(guint64\\)(\\d+)");
    private static final Pattern CELLS = Pattern.compile("motion_cells_indices=\\(string\\)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,;\\s]+)");
    private static final Pattern ERROR = Pattern.compile("\\b(?:init|save)_error_code=");

    /** What a motion message reports. */
    public enum Kind {
        /** Motion began in at least the minimum area, for at least the minimum frames. */
        BEGIN,
        /** Motion went on (only with {@code postallmotion=true}). */
        ONGOING,
        /** No motion for {@code gap} seconds since the last. */
        FINISHED,
        /** No motion for {@code postnomotion} seconds. */
        NO_MOTION,
        /** motioncells cannot work (its data file, or a cell list it cannot read). */
        ERROR
    }

    /** The signal in {@code line}, or empty when the line is not a motioncells message. */
    public static Optional<MotionSignal> parse(final String line) {
        final Matcher message = MESSAGE.matcher(line);
        if (!message.find()) {
            return Optional.empty();
        }
        final String fields = message.group(1);
        if (ERROR.matcher(fields).find()) {
            return Optional.of(new MotionSignal(Kind.ERROR, 0, Duration.ZERO));
        }
        final Matcher time = TIME.matcher(fields);
        if (!time.find()) {
            final Matcher cells = CELLS.matcher(fields);
            return cells.find() && "error".equals(cells.group(1))
                    ? Optional.of(new MotionSignal(Kind.ERROR, 0, Duration.ZERO)) : Optional.empty();
        }
        final Duration at = Duration.ofNanos(Long.parseUnsignedLong(time.group(2)) & Long.MAX_VALUE);
        return switch (time.group(1)) {
            case "motion_begin" -> Optional.of(new MotionSignal(Kind.BEGIN, cells(fields), at));
            case "motion" -> Optional.of(new MotionSignal(Kind.ONGOING, cells(fields), at));
            case "motion_finished" -> Optional.of(new MotionSignal(Kind.FINISHED, 0, at));
            default -> Optional.of(new MotionSignal(Kind.NO_MOTION, 0, at));
        };
    }

    /** The moving fraction of the picture, 0 to 1. */
    public double area() {
        return Math.min(1.0, cells / (double) GRID_CELLS);
    }

    private static int cells(final String fields) {
        final Matcher cells = CELLS.matcher(fields);
        if (!cells.find()) {
            return 0;
        }
        final String list = cells.group(1).replace("\"", "");
        return list.isEmpty() || "error".equals(list) ? 0 : list.split("\\\\,|,").length;
    }
}
