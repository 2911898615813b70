package dev.vigil.bridge.view;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where view leases live. In memory here ({@link InMemoryLeaseStore}); several bridges would share
 * one in a database, so that a renewal may reach any of them. The caller serialises changes.
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
}
