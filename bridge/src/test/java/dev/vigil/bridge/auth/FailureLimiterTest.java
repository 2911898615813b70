package dev.vigil.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FailureLimiterTest {

    @Test
    void blocks_afterMaxFailures_untilWindowEnds() {
        final Instant start = Instant.parse("2026-01-01T00:00:00Z");
        final Clock[] now = {Clock.fixed(start, ZoneOffset.UTC)};
        final FailureLimiter limiter = new FailureLimiter(3, Duration.ofSeconds(60), new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(final java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0].instant();
            }
        });
        limiter.failed("10.0.0.1");
        limiter.failed("10.0.0.1");
        assertTrue(limiter.blockedFor("10.0.0.1").isEmpty());
        limiter.failed("10.0.0.1");
        assertTrue(limiter.blockedFor("10.0.0.1").isPresent());
        assertTrue(limiter.blockedFor("10.0.0.2").isEmpty());
        now[0] = Clock.fixed(start.plusSeconds(61), ZoneOffset.UTC);
        assertTrue(limiter.blockedFor("10.0.0.1").isEmpty());
    }
}
