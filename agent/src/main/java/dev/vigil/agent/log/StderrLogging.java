package dev.vigil.agent.log;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's logging: an SLF4J provider that writes one line per event on stderr
 * ({@code 2026-11-25T10:00:00.000Z INFO  [Supervisor] message}; journald adds the unit). A logging
 * framework (Logback: some 250 classes) is more than a daemon that logs a few lines an hour keeps in
 * memory on a Pi. {@code AGENT_LOG_LEVEL} (INFO; TRACE, DEBUG, WARN, ERROR, OFF) sets the level of
 * the agent's loggers and of gst-launch-1.0's lines (shown at DEBUG); HiveMQ, Netty and NuProcess
 * log warnings and errors only, anything else from INFO.
 */
public final class StderrLogging implements SLF4JServiceProvider, ILoggerFactory {

    /** The levels by logger-name prefix; the longest prefix that matches wins (the empty one always does). */
    private final Map<String, Level> levels = new ConcurrentHashMap<>();
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public void initialize() {
        levels.put("", Level.INFO);
        for (final String quiet : new String[] {"com.hivemq", "io.netty", "com.zaxxer.nuprocess"}) {
            levels.put(quiet, Level.WARN);
        }
        final Level agent = parseLevel(System.getenv("AGENT_LOG_LEVEL"));
        levels.put("dev.vigil", agent);
        levels.put("gst-launch", agent);
    }

    /**
     * The level a name such as {@code debug} or {@code WARN} means; {@code null} for OFF, INFO for
     * anything unknown or unset.
     */
    static Level parseLevel(final String name) {
        if (name == null || name.isBlank()) {
            return Level.INFO;
        }
        final String upper = name.strip().toUpperCase(Locale.ROOT);
        switch (upper) {
            case "OFF":
                return null;
            case "ALL":
                return Level.TRACE;
            case "WARNING":
                return Level.WARN;
            default:
                for (final Level level : Level.values()) {
                    if (level.name().equals(upper)) {
                        return level;
                    }
                }
                return Level.INFO;
        }
    }

    @Override
    public Logger getLogger(final String name) {
        return loggers.computeIfAbsent(name, n -> new StderrLogger(n, levelOf(n)));
    }

    /** The threshold for a logger: the level of the longest configured prefix (on dots) of its name. */
    Level levelOf(final String name) {
        String prefix = name;
        while (true) {
            if (levels.containsKey(prefix)) {
                return levels.get(prefix);
            }
            if (prefix.isEmpty()) {
                return Level.INFO;
            }
            final int dot = prefix.lastIndexOf('.');
            prefix = dot < 0 ? "" : prefix.substring(0, dot);
        }
    }

    /** Writes out what the stream buffers; for the last step of a shutdown. */
    public static void flush() {
        System.err.flush();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return this;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
