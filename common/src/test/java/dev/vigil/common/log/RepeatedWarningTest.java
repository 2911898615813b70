package dev.vigil.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RepeatedWarningTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private RepeatedWarning warning;

    @BeforeEach
    void setUp() {
        final Logger logger = (Logger) LoggerFactory.getLogger("test.repeated." + System.nanoTime());
        appender.start();
        logger.addAppender(appender);
        warning = new RepeatedWarning(logger, Duration.ofSeconds(10), nanos::get, null);
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void warn_logsTheFirstInFull_thenOneSummaryPerInterval_withCountAndLatest() {
        for (int i = 0; i < 1000; i++) {
            nanos.addAndGet(Duration.ofMillis(25).toNanos());
            warning.warn("bad command", "ignored a command: #" + i);
        }
        assertEquals("ignored a command: #0", lines().get(0));
        assertEquals(3, lines().size(), lines().toString());
        assertTrue(lines().get(1).startsWith("400 more like this in the last 10 s; the latest: ignored a command: #400"), lines().get(1));
        warning.flush();
        assertEquals(4, lines().size());
        assertEquals(999, lines().stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).sum());
    }

    @Test
    void warn_logsANewKindAtOnce_afterSummarisingTheOld() {
        warning.warn("refused", "refused: NOT_AUTHORIZED");
        warning.warn("refused", "refused: NOT_AUTHORIZED");
        warning.warn("untrusted", "certificate not trusted");
        assertEquals(List.of("refused: NOT_AUTHORIZED", "1 more like this in the last 0 s; the latest: refused: NOT_AUTHORIZED",
                "certificate not trusted"), lines());
    }

    @Test
    void reset_makesTheNextWarningOfTheSameKindFull() {
        warning.warn("refused", "refused");
        warning.reset();
        warning.warn("refused", "refused");
        assertEquals(List.of("refused", "refused"), lines());
    }
}
