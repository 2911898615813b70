package dev.vigil.bridge.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link LeaseStore} in this process's memory (tests, one bridge): a restarted bridge forgets its leases. */
public final class InMemoryLeaseStore implements LeaseStore {

    private final Map<String, Map<String, Lease>> byRobot = new ConcurrentHashMap<>();
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    @Override
    public void put(final Lease lease) {
        byRobot.computeIfAbsent(lease.robotId(), id -> new ConcurrentHashMap<>()).put(lease.id(), lease);
    }

    @Override
    public Optional<Lease> get(final String robotId, final String id) {
        final Map<String, Lease> leases = byRobot.get(robotId);
        return leases == null || id == null ? Optional.empty() : Optional.ofNullable(leases.get(id));
    }

    @Override
    public Optional<Lease> byKeyHash(final String robotId, final String keyHash) {
        final Map<String, Lease> leases = byRobot.get(robotId);
        if (leases == null || keyHash == null) {
            return Optional.empty();
        }
        return leases.values().stream().filter(l -> java.security.MessageDigest.isEqual(
                l.keyHash().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                keyHash.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).findFirst();
    }

    @Override
    public boolean remove(final String robotId, final String id) {
        final Map<String, Lease> leases = byRobot.get(robotId);
        return leases != null && id != null && leases.remove(id) != null;
    }

    @Override
    public List<Lease> removeAll(final String robotId) {
        final Map<String, Lease> leases = byRobot.remove(robotId);
        return leases == null ? List.of() : List.copyOf(leases.values());
    }

    @Override
    public List<Lease> removeExpired(final Instant now) {
        final List<Lease> removed = new ArrayList<>();
        for (final Map<String, Lease> leases : byRobot.values()) {
            leases.values().removeIf(lease -> {
                if (lease.liveAt(now)) {
                    return false;
                }
                removed.add(lease);
                return true;
            });
        }
        return removed;
    }

    @Override
    public int countByRobot(final String robotId) {
        final Map<String, Lease> leases = byRobot.get(robotId);
        return leases == null ? 0 : leases.size();
    }

    @Override
    public int countByOwner(final String owner) {
        int count = 0;
        for (final Map<String, Lease> leases : byRobot.values()) {
            for (final Lease lease : leases.values()) {
                count += lease.owner().equals(owner) ? 1 : 0;
            }
        }
        return count;
    }

    @Override
    public Map<String, Integer> counts() {
        final Map<String, Integer> counts = new java.util.HashMap<>();
        byRobot.forEach((robot, leases) -> {
            if (!leases.isEmpty()) {
                counts.put(robot, leases.size());
            }
        });
        return counts;
    }

    @Override
    public Map<String, Watch> watched() {
        return Map.copyOf(watches);
    }

    @Override
    public synchronized boolean claimStart(final String robotId, final Instant now, final Instant nextDue) {
        final Watch watch = watches.get(robotId);
        final boolean due = watch == null || !watch.startDue().isAfter(now);
        watches.put(robotId, new Watch(due ? nextDue : watch.startDue(), null));
        return due;
    }

    @Override
    public synchronized Optional<Instant> scheduleStop(final String robotId, final Instant stopAt) {
        final Watch watch = watches.get(robotId);
        if (watch == null) {
            return Optional.empty();
        }
        if (watch.stopAt() == null) {
            watches.put(robotId, new Watch(watch.startDue(), stopAt));
            return Optional.of(stopAt);
        }
        return Optional.of(watch.stopAt());
    }

    @Override
    public synchronized boolean claimStop(final String robotId, final Instant now) {
        final Watch watch = watches.get(robotId);
        final Map<String, Lease> leases = byRobot.get(robotId);
        final boolean live = leases != null && leases.values().stream().anyMatch(l -> l.liveAt(now));
        if (watch == null || watch.stopAt() == null || watch.stopAt().isAfter(now) || live) {
            return false;
        }
        watches.remove(robotId);
        return true;
    }

    @Override
    public void unwatch(final String robotId) {
        watches.remove(robotId);
    }
}
