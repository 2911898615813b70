package dev.vigil.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code rather than from a logback.xml: one line per event on stderr
 * (journald adds the time and unit). Reading XML would load Logback's configurator and the JDK's XML
 * parser, some 600 classes a Pi keeps in memory for nothing. {@code AGENT_LOG_LEVEL} (INFO) sets the
 * agent's level; DEBUG also shows gst-launch-1.0's own lines.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(final LoggerContext context) {
        final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%logger{0}] %msg%n");
        encoder.start();
        final ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        for (final String quiet : new String[] {"com.hivemq", "io.netty", "com.zaxxer.nuprocess"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        final Level agent = Level.toLevel(System.getenv("AGENT_LOG_LEVEL"), Level.INFO);
        context.getLogger("dev.vigil").setLevel(agent);
        context.getLogger("gst-launch").setLevel(agent);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
