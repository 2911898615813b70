package dev.vigil.agent.supervise;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** At most {@code count} failures within a sliding {@code window}; one more exhausts the budget. */
final class FailureBudget {

    private final int count;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> failures = new ArrayDeque<>();

    FailureBudget(final int count, final Duration window, final Clock clock) {
        this.count = count;
        this.window = window;
        this.clock = clock;
    }

    /** Records a failure now; true when this failure exhausts the budget. */
    boolean recordFailure() {
        final Instant now = clock.instant();
        failures.addLast(now);
        while (!failures.isEmpty() && failures.peekFirst().isBefore(now.minus(window))) {
            failures.removeFirst();
        }
        return failures.size() >= count;
    }

    /** Forgets every failure. */
    void reset() {
        failures.clear();
    }

    /** Failures within the window, as of the last record. */
    int failures() {
        return failures.size();
    }
}
