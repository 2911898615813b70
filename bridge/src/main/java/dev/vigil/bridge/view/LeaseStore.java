package dev.vigil.bridge.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where view leases live, and which robots are being watched: when a watched robot's leased start
 * is next due, and when it is to be stopped after its last view. In memory
 * ({@link InMemoryLeaseStore}) for tests, in the registry's database
 * ({@code dev.vigil.bridge.store.JdbcLeaseStore}) for bridges: several bridges share it, so that any
 * of them renews or releases any lease and sends a robot's starts and its stop. The claims are
 * atomic: when bridges race for a due start or stop, exactly one wins and sends it.
 */
public interface LeaseStore {

    /** Adds or replaces {@code lease}. */
    void put(Lease lease);

    /** The lease {@code id} of robot {@code robotId}, live or not. */
    Optional<Lease> get(String robotId, String id);

    /** The lease of robot {@code robotId} whose relay key hashes to {@code keyHash}. */
    Optional<Lease> byKeyHash(String robotId, String keyHash);

    /** Removes the lease; false when there was none. */
    boolean remove(String robotId, String id);

    /** Removes and answers every lease of robot {@code robotId}. */
    List<Lease> removeAll(String robotId);

    /** Removes and answers every lease that ended before {@code now}. */
    List<Lease> removeExpired(Instant now);

    /** How many leases robot {@code robotId} has. */
    int countByRobot(String robotId);

    /** How many leases {@code owner} holds, over every robot. */
    int countByOwner(String owner);

    /** How many leases each robot that has one holds. */
    Map<String, Integer> counts();

    /**
     * One watched robot: its leased start is due again at {@code startDue}; it is to be stopped at
     * {@code stopAt} (null while it has views).
     *
     * @param startDue when its next leased start is due
     * @param stopAt   when it is to be stopped, or {@code null}
     */
    record Watch(Instant startDue, Instant stopAt) {
    }

    /** Every watched robot. */
    Map<String, Watch> watched();

    /**
     * Marks robot {@code robotId} watched, cancelling a pending stop; when its leased start is due
     * (never sent, or due at or before {@code now}), sets the next due time to {@code nextDue} and
     * answers true: the caller sends the start.
     */
    boolean claimStart(String robotId, Instant now, Instant nextDue);

    /** Sets the watched robot's stop time to {@code stopAt} unless one is set; answers the stop time, empty when not watched. */
    Optional<Instant> scheduleStop(String robotId, Instant stopAt);

    /**
     * When the watched robot's stop time has come and it has no lease live at {@code now}, forgets
     * the watch and answers true: the caller sends the stop.
     */
    boolean claimStop(String robotId, Instant now);

    /** Forgets that robot {@code robotId} is watched (its views were revoked; the operator's stop goes out itself). */
    void unwatch(String robotId);
}
