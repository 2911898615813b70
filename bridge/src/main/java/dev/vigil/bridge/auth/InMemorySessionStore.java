package dev.vigil.bridge.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SessionStore} in this process's memory: a restarted bridge signs everyone out. */
public final class InMemorySessionStore implements SessionStore {

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    @Override
    public void put(final String tokenHash, final Session session) {
        sessions.put(tokenHash, session);
    }

    @Override
    public Optional<Session> get(final String tokenHash) {
        return Optional.ofNullable(sessions.get(tokenHash));
    }

    @Override
    public boolean remove(final String tokenHash) {
        return sessions.remove(tokenHash) != null;
    }

    @Override
    public int removeExpired(final Instant now) {
        final int before = sessions.size();
        sessions.values().removeIf(s -> !now.isBefore(s.expires()));
        return before - sessions.size();
    }

    @Override
    public int size() {
        return sessions.size();
    }
}
