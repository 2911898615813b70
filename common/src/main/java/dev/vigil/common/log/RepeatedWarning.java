package dev.vigil.common.log;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Keeps a warning that repeats from flooding the log (an SD card wears, and nobody reads 10,000 equal
 * lines): the first line of a kind is logged at once; the same kind again within {@code every} is
 * only counted, and one summary line per {@code every} says how many there were and shows the latest.
 * A new kind is logged at once (after a summary of the old one).
 */
public final class RepeatedWarning {

    private final Logger logger;
    private final long everyNanos;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService flusher;

    private String kind;
    private long windowStart;
    private long suppressed;
    private String latest;
    private boolean flushScheduled;

    /**
     * @param flusher runs the summary when a window ends with nothing after it, so the count is not
     *                left unsaid; {@code null} to summarise only on the next warning or {@link #flush()}
     */
    public RepeatedWarning(final Logger logger, final Duration every, final LongSupplier nanoTime,
                           final ScheduledExecutorService flusher) {
        this.logger = logger;
        this.everyNanos = every.toNanos();
        this.nanoTime = nanoTime;
        this.flusher = flusher;
    }

    /** A limiter on the system clock. */
    public RepeatedWarning(final Logger logger, final Duration every, final ScheduledExecutorService flusher) {
        this(logger, every, System::nanoTime, flusher);
    }

    /** Logs {@code line} now if it is the first of its {@code kind} in this window; else counts it. */
    public synchronized void warn(final String kind, final String line) {
        final long now = nanoTime.getAsLong();
        if (!kind.equals(this.kind)) {
            flush();
            this.kind = kind;
            windowStart = now;
            logger.warn(line);
            return;
        }
        suppressed++;
        latest = line;
        if (now - windowStart >= everyNanos) {
            flush();
        } else if (flusher != null && !flushScheduled) {
            flushScheduled = true;
            flusher.schedule(this::flushIfDue, everyNanos - (now - windowStart), TimeUnit.NANOSECONDS);
        }
    }

    /** Logs the summary of what was counted, if anything was, and starts a new window. */
    public synchronized void flush() {
        final long now = nanoTime.getAsLong();
        if (suppressed > 0) {
            logger.warn("{} more like this in the last {}; the latest: {}", suppressed, human(now - windowStart), latest);
            suppressed = 0;
            latest = null;
        }
        windowStart = now;
    }

    /** Forgets the current kind (after a recovery): the next warning is logged in full. */
    public synchronized void reset() {
        flush();
        kind = null;
    }

    /** How many warnings are counted and not yet summarised. */
    public synchronized long pending() {
        return suppressed;
    }

    private synchronized void flushIfDue() {
        flushScheduled = false;
        if (suppressed > 0) {
            flush();
        }
    }

    private static String human(final long nanos) {
        final double seconds = nanos / 1e9;
        return seconds >= 120 ? String.format(Locale.ROOT, "%.0f min", seconds / 60) : String.format(Locale.ROOT, "%.0f s", seconds);
    }
}
