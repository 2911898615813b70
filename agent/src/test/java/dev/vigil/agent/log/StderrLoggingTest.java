package dev.vigil.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class StderrLoggingTest {

    @Test
    void isTheProviderSlf4jFinds() {
        assertTrue(LoggerFactory.getILoggerFactory() instanceof StderrLogging);
    }

    @Test
    void levelNamesAsLogbackReadThem() {
        assertEquals(Level.INFO, StderrLogging.parseLevel(null));
        assertEquals(Level.INFO, StderrLogging.parseLevel("  "));
        assertEquals(Level.INFO, StderrLogging.parseLevel("chatty"));
        assertEquals(Level.DEBUG, StderrLogging.parseLevel("debug"));
        assertEquals(Level.TRACE, StderrLogging.parseLevel("ALL"));
        assertEquals(Level.WARN, StderrLogging.parseLevel(" Warn "));
        assertNull(StderrLogging.parseLevel("off"));
    }

    @Test
    void longestPrefixWins() {
        final StderrLogging logging = new StderrLogging();
        logging.initialize();
        assertEquals(Level.WARN, logging.levelOf("io.netty.channel.nio.NioEventLoop"));
        assertEquals(Level.WARN, logging.levelOf("com.hivemq.client.internal.mqtt.MqttClient"));
        assertEquals(Level.INFO, logging.levelOf("com.hivemqx.Other"));
        assertEquals(Level.INFO, logging.levelOf("Plain"));
        assertSame(logging.getLogger("a.B"), logging.getLogger("a.B"));
        assertFalse(logging.getLogger("io.netty.X").isInfoEnabled());
        assertTrue(logging.getLogger("io.netty.X").isWarnEnabled());
    }

    @Test
    void writesOneLinePerEventWithTheShortNameAndTheStackTrace() {
        final PrintStream saved = System.err;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            new StderrLogger("dev.vigil.agent.Thing", Level.INFO).warn("{} of {}", 1, 2, new IllegalStateException("boom"));
            new StderrLogger("dev.vigil.agent.Thing", Level.INFO).debug("hidden");
        } finally {
            System.setErr(saved);
        }
        final String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN  \\[Thing\\] 1 of 2"), lines[0]);
        assertEquals("java.lang.IllegalStateException: boom", lines[1]);
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("hidden"));
    }
}
