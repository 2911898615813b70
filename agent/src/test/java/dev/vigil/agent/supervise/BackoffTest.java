package dev.vigil.agent.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void next_doublesUpToMax_withoutJitter() {
        final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.0, new Random(1));
        final long[] expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (final long millis : expected) {
            assertEquals(Duration.ofMillis(millis), backoff.next());
        }
        backoff.reset();
        assertEquals(Duration.ofMillis(500), backoff.next());
    }

    @Test
    void next_staysWithinJitterBounds() {
        final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 0.2, new Random(42));
        boolean below = false;
        boolean above = false;
        for (int i = 0; i < 200; i++) {
            final long millis = backoff.next().toMillis();
            assertTrue(millis >= 8000 && millis <= 12000, "out of ±20 %: " + millis);
            below |= millis < 10000;
            above |= millis > 10000;
        }
        assertTrue(below && above, "jitter never spread both ways");
    }

    @Test
    void failureBudget_exhaustsAtCount_withinWindowOnly() {
        final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        final FailureBudget budget = new FailureBudget(3, Duration.ofMinutes(2), clock);
        assertFalse(budget.recordFailure());
        clock.advance(Duration.ofSeconds(100));
        assertFalse(budget.recordFailure());
        clock.advance(Duration.ofSeconds(100));
        assertFalse(budget.recordFailure(), "the first failure left the window");
        assertTrue(budget.recordFailure());
    }
}
