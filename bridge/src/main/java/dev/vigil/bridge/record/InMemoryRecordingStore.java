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
        return Optional.ofNullable(byRobot.put(recording.robotId(), recording)).filter(Stored::running);
    }

    @Override
    public Optional<Stored> get(final String robotId) {
        return Optional.ofNullable(byRobot.get(robotId));
    }

    @Override
    public boolean end(final String robotId, final String leaseId, final Recordings.Stopped how) {
        final Stored stored = byRobot.get(robotId);
        return stored != null && stored.running() && stored.leaseId().equals(leaseId) && byRobot.replace(robotId, stored,
                new Stored(robotId, leaseId, stored.by(), stored.since(), stored.until(), how));
    }

    @Override
    public List<Stored> running() {
        return byRobot.values().stream().filter(Stored::running).toList();
    }
}
