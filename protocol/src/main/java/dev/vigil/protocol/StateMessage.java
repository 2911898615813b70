package dev.vigil.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The retained JSON on {@code B/state}, published by the agent on every transition.
 *
 * @param state      what the supervisor is doing
 * @param desired    what it was last asked for
 * @param since      when it entered {@code state}
 * @param restarts   restarts since the last start command
 * @param pipeline   the template's name
 * @param lastError  the last problem, already masked; {@code null} for none
 * @param requestId  the request id of the command that caused the state; {@code null} for none
 * @param leaseUntil when the last lease ends; {@code null} for none (or one of them has no end)
 * @param hold       the operator's hold that the agent enforces ({@code B/control}); {@link Hold#NONE}
 *                   when there is none, and from an agent that predates holds
 * @param motion     whether motion mode is on ({@code "motion":"on"}): motion starts a leased stream
 * @param leases     who holds the stream, sorted ({@code manual}, {@code motion}, {@code views}, see
 *                   {@link Command}); empty while nobody does
 */
public record StateMessage(StreamState state, Desired desired, Instant since, int restarts, String pipeline,
                           String lastError, String requestId, Instant leaseUntil, Hold hold, boolean motion,
                           List<String> leases) {

    public StateMessage {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(pipeline, "pipeline");
        if (restarts < 0) {
            throw new IllegalArgumentException("restarts must not be negative");
        }
        leases = leases == null ? List.of() : List.copyOf(leases);
    }

    /** A state without a list of lease holders (from an agent that predates them). */
    public StateMessage(final StreamState state, final Desired desired, final Instant since, final int restarts,
                        final String pipeline, final String lastError, final String requestId, final Instant leaseUntil,
                        final Hold hold, final boolean motion) {
        this(state, desired, since, restarts, pipeline, lastError, requestId, leaseUntil, hold, motion, List.of());
    }

    /** A state without a hold and with motion mode off, as the supervisor makes it; the agent's wiring adds both. */
    public StateMessage(final StreamState state, final Desired desired, final Instant since, final int restarts,
                        final String pipeline, final String lastError, final String requestId, final Instant leaseUntil) {
        this(state, desired, since, restarts, pipeline, lastError, requestId, leaseUntil, Hold.NONE, false, List.of());
    }

    /** This state with {@code newHold}. */
    public StateMessage withHold(final Hold newHold) {
        return new StateMessage(state, desired, since, restarts, pipeline, lastError, requestId, leaseUntil, newHold, motion,
                leases);
    }

    /** This state with motion mode {@code on}. */
    public StateMessage withMotion(final boolean on) {
        return new StateMessage(state, desired, since, restarts, pipeline, lastError, requestId, leaseUntil, hold, on, leases);
    }

    /** This state with {@code holders} holding the stream. */
    public StateMessage withLeases(final List<String> holders) {
        return new StateMessage(state, desired, since, restarts, pipeline, lastError, requestId, leaseUntil, hold, motion,
                holders);
    }

    /** The JSON payload. */
    public byte[] toJson() {
        return StateCodec.encode(this);
    }
}
