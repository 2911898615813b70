package dev.vigil.agent.supervise;

import dev.vigil.protocol.Desired;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * What the agent's state message says, kept by the supervisor between transitions (on its executor
 * only): the state and since when, what is wanted, the restarts, the last error, the request id and
 * the leases (who holds the stream, and until when).
 */
final class Status {

    private StreamState state = StreamState.IDLE;
    private Desired desired = Desired.IDLE;
    private Instant since;
    private int restarts;
    private String lastError;
    private String requestId;
    private final Leases leases = new Leases();

    Status(final Instant since) {
        this.since = since;
    }

    StreamState state() {
        return state;
    }

    boolean is(final StreamState candidate) {
        return state == candidate;
    }

    /** Moves to {@code next} at {@code now}; returns the state it left. */
    StreamState moveTo(final StreamState next, final Instant now) {
        final StreamState previous = state;
        state = next;
        since = now;
        return previous;
    }

    /** Says the current state holds since {@code now} (at start-up). */
    void restamp(final Instant now) {
        since = now;
    }

    boolean wants(final Desired candidate) {
        return desired == candidate;
    }

    void want(final Desired next) {
        desired = next;
    }

    /** A new run from a start in {@code idle} or {@code failed}: no restarts and no error yet. */
    void freshRun() {
        restarts = 0;
        lastError = null;
    }

    /** Counts a restart; returns the count. */
    int restarted() {
        return ++restarts;
    }

    void error(final String reason) {
        lastError = reason;
    }

    void request(final String id) {
        requestId = id;
    }

    /** Who holds the stream. */
    Leases leases() {
        return leases;
    }

    /** The state message, with {@code masker} over the last error. */
    StateMessage message(final String pipeline, final UnaryOperator<String> masker) {
        return new StateMessage(state, desired, since, restarts, pipeline,
                lastError == null ? null : masker.apply(lastError), requestId, leases.until()).withLeases(leases.holders());
    }
}
