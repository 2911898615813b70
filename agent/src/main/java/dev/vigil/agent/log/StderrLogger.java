package dev.vigil.agent.log;

import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One logger of {@link StderrLogging}: a fixed threshold, one line per event (and a stack trace). */
final class StderrLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    /** The least severe level logged; {@code null}: nothing. */
    private final transient Level threshold;
    private final String shortName;

    StderrLogger(final String name, final Level threshold) {
        this.name = name;
        this.threshold = threshold;
        this.shortName = name.substring(name.lastIndexOf('.') + 1);
    }

    private boolean enabled(final Level level) {
        return threshold != null && level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(final Level level, final Marker marker, final String pattern,
            final Object[] arguments, final Throwable throwable) {
        final StringBuilder line = new StringBuilder(96)
                .append(TIME.format(OffsetDateTime.now()))
                .append(' ');
        final String label = level.name();
        line.append(label);
        for (int pad = label.length(); pad < 5; pad++) {
            line.append(' ');
        }
        line.append(" [").append(shortName).append("] ")
                .append(MessageFormatter.basicArrayFormat(pattern, arguments))
                .append(System.lineSeparator());
        final PrintStream err = System.err;
        synchronized (err) {
            err.print(line);
            if (throwable != null) {
                throwable.printStackTrace(err);
            }
            err.flush();
        }
    }
}
