package dev.vigil.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureLimiterTest {

    @Test
    void blocks_afterMaxFailures_untilWindowEnds() {
        final Instant start = Instant.parse("2026-01-01T00:00:00Z");
        final MutableClock clock = new MutableClock(start);
        final FailureLimiter limiter = new FailureLimiter(3, Duration.ofSeconds(60), clock);
        limiter.failed("10.0.0.1");
        limiter.failed("10.0.0.1");
        assertTrue(limiter.blockedFor("10.0.0.1").isEmpty());
        limiter.failed("10.0.0.1");
        assertTrue(limiter.blockedFor("10.0.0.1").isPresent());
        assertTrue(limiter.blockedFor("10.0.0.2").isEmpty());
        clock.advance(Duration.ofSeconds(61));
        assertTrue(limiter.blockedFor("10.0.0.1").isEmpty());
    }
}
