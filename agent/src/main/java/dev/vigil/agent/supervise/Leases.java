package dev.vigil.agent.supervise;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who holds the stream, and until when: one lease per holder ({@code manual}, {@code views},
 * {@code motion}, see {@link dev.vigil.protocol.Command}). The stream is wanted while any lease is
 * on; a holder's new start replaces its own lease and no other. Pure: the supervisor keeps the
 * timer and the clock (on its executor only).
 */
final class Leases {

    /** One holder's lease: its end ({@code null}: until a stop) and what its end is called in the log. */
    record Lease(Instant until, String endReason) {
    }

    private final Map<String, Lease> byHolder = new TreeMap<>();

    /** Gives {@code holder} the lease {@code lease}, in place of its own earlier one. */
    void grant(final String holder, final Lease lease) {
        byHolder.put(holder, lease);
    }

    /** Lets go of {@code holder}'s lease; true when it had one. */
    boolean release(final String holder) {
        return byHolder.remove(holder) != null;
    }

    /** Lets go of every lease; true when there was one. */
    boolean releaseAll() {
        final boolean any = !byHolder.isEmpty();
        byHolder.clear();
        return any;
    }

    /** Ends the leases that are over at {@code now}; returns them, by holder. */
    Map<String, Lease> expire(final Instant now) {
        final Map<String, Lease> over = new TreeMap<>();
        byHolder.entrySet().removeIf(entry -> {
            final Instant until = entry.getValue().until();
            if (until != null && !until.isAfter(now)) {
                over.put(entry.getKey(), entry.getValue());
                return true;
            }
            return false;
        });
        return over;
    }

    boolean isEmpty() {
        return byHolder.isEmpty();
    }

    /** The first end of a lease, when one will end by itself. */
    Instant nextEnd() {
        return byHolder.values().stream().map(Lease::until).filter(until -> until != null).min(Instant::compareTo).orElse(null);
    }

    /** When the stream is no longer held unless someone renews: {@code null} when no lease is on or one has no end. */
    Instant until() {
        if (byHolder.isEmpty() || byHolder.values().stream().anyMatch(lease -> lease.until() == null)) {
            return null;
        }
        return byHolder.values().stream().map(Lease::until).max(Instant::compareTo).orElse(null);
    }

    /** The holders, sorted. */
    List<String> holders() {
        return new ArrayList<>(byHolder.keySet());
    }
}
