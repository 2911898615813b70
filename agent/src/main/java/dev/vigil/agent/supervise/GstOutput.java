package dev.vigil.agent.supervise;

import dev.vigil.agent.motion.MotionSignal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What one {@code gst-launch-1.0 -e -m} child prints, read line by line: ANSI codes stripped, secrets
 * masked, each line classified, the last error lines kept for {@code lastError}. Pure: no I/O, no clock.
 *
 * <p>With {@code -m}, gst-launch prints every bus message. The top-level pipeline's move to PLAYING
 * is posted once every sink holds its first buffer, which is the moment media leaves for the relay;
 * {@code progressreport} prints a line each second while buffers flow, which is how a stall shows.
 * A {@code motioncells} branch posts its findings as element messages ({@link MotionSignal}).
 */
final class GstOutput {

    /** What a line says. */
    enum Kind {
        /** The pipeline reached PLAYING: every sink has its first buffer. */
        PLAYING,
        /** A progressreport line: buffers flowed within the last second. */
        PROGRESS,
        /** A motioncells message: motion began or ended, or it cannot work ({@link Line#motion()}). */
        MOTION,
        /** gst-launch's own line for an error message: the pipeline is ending. */
        FATAL,
        /** A warning, or a line that explains an error. */
        ERROR,
        /** Anything else. */
        OTHER
    }

    /** A classified line, masked. */
    record Line(Kind kind, String text) {

        /** What a {@link Kind#MOTION} line says; empty for any other. */
        Optional<MotionSignal> motion() {
            return kind == Kind.MOTION ? MotionSignal.parse(text) : Optional.empty();
        }
    }

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern PLAYING = Pattern.compile(
            "^Got message #\\d+ from element \"pipeline\\d+\" \\(state-changed\\): GstMessageStateChanged, "
                    + "old-state=\\(GstState\\)paused, new-state=\\(GstState\\)playing");
    private static final Pattern PROGRESS = Pattern.compile("^progressreport\\d* \\(");
    private static final Pattern BUS_MESSAGE = Pattern.compile("^Got message #\\d+ ");
    /** gst-launch's words for a connection it could not make (a refused TLS certificate among the causes). */
    private static final Pattern CONNECT_FAILURE =
            Pattern.compile("(?i)could not open resource|failed to connect|could not connect|tls|certificate");
    private static final Pattern ERRORISH = Pattern.compile("ERROR|WARN|[Ee]rror|[Ff]ail|[Cc]ould not|[Nn]o such");

    private final UnaryOperator<String> masker;
    private final int keepErrorLines;
    private final Deque<String> errors = new ArrayDeque<>();
    private boolean connectFailed;

    GstOutput(final UnaryOperator<String> masker, final int keepErrorLines) {
        this.masker = masker;
        this.keepErrorLines = keepErrorLines;
    }

    /** Classifies one raw line; {@code null} for a line that is empty once stripped. */
    Line read(final String raw) {
        final String line = masker.apply(ANSI.matcher(raw).replaceAll("")).strip();
        if (line.isEmpty()) {
            return null;
        }
        if (PLAYING.matcher(line).find()) {
            return new Line(Kind.PLAYING, line);
        }
        if (PROGRESS.matcher(line).find()) {
            return new Line(Kind.PROGRESS, line);
        }
        if (MotionSignal.parse(line).isPresent()) {
            return new Line(Kind.MOTION, line);
        }
        // A bus message repeats, escaped, what gst-launch prints on its own lines: only those are kept.
        if (!BUS_MESSAGE.matcher(line).find() && ERRORISH.matcher(line).find()) {
            errors.addLast(line);
            connectFailed |= CONNECT_FAILURE.matcher(line).find();
            while (errors.size() > keepErrorLines) {
                errors.removeFirst();
            }
            return new Line(line.startsWith("ERROR:") ? Kind.FATAL : Kind.ERROR, line);
        }
        return new Line(Kind.OTHER, line);
    }

    /** The last error lines, oldest first. */
    List<String> lastErrors() {
        return List.copyOf(errors);
    }

    /** True once an error line said that a connection could not be made. */
    boolean connectFailed() {
        return connectFailed;
    }

    /** {@code reason}, followed by the last error lines if there are any. */
    String explain(final String reason) {
        return errors.isEmpty() ? reason : reason + ": " + String.join(" | ", errors);
    }
}
