package dev.vigil.bridge.record;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RecordingStore} in this process's memory (tests, one bridge). */
public final class InMemoryRecordingStore implements RecordingStore {

    private final Map<String, Stored> byRobot = new ConcurrentHashMap<>();

    @Override
    public Optional<Stored> put(final Stored recording) {
        return Optional.ofNullable(byRobot.put(recording.robotId(), recording));
    }

    @Override
    public Optional<Stored> get(final String robotId) {
        return Optional.ofNullable(byRobot.get(robotId));
    }

    @Override
    public boolean remove(final String robotId, final String leaseId) {
        final Stored stored = byRobot.get(robotId);
        return stored != null && stored.leaseId().equals(leaseId) && byRobot.remove(robotId, stored);
    }

    @Override
    public List<Stored> all() {
        return List.copyOf(byRobot.values());
    }
}
