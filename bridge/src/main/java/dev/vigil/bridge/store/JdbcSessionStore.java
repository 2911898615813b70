package dev.vigil.bridge.store;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.auth.SessionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link SessionStore} in the registry's database: every bridge that shares it knows every session, and a restart signs nobody out. */
public final class JdbcSessionStore implements SessionStore {

    private final Database db;

    /** Creates the store. */
    public JdbcSessionStore(final Database db) {
        this.db = db;
    }

    @Override
    public void put(final String tokenHash, final Session session) {
        db.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE sessions SET expires_ms = ? WHERE token_hash = ?")) {
                update.setLong(1, session.expires().toEpochMilli());
                update.setString(2, tokenHash);
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sessions (token_hash, name, role,"
                    + " kind, max_views, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                final Principal p = session.principal();
                insert.setString(1, tokenHash);
                insert.setString(2, p.name());
                insert.setString(3, p.role().name());
                insert.setString(4, p.kind().name());
                insert.setInt(5, p.maxViews());
                insert.setLong(6, session.created().toEpochMilli());
                insert.setLong(7, session.expires().toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Session> get(final String tokenHash) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT name, role, kind, max_views, created_ms,"
                    + " expires_ms FROM sessions WHERE token_hash = ?")) {
                query.setString(1, tokenHash);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Session(new Principal(row.getString(1), Role.valueOf(row.getString(2)),
                            Principal.Kind.valueOf(row.getString(3)), row.getInt(4)),
                            Instant.ofEpochMilli(row.getLong(5)), Instant.ofEpochMilli(row.getLong(6))));
                }
            }
        });
    }

    @Override
    public boolean remove(final String tokenHash) {
        return db.read(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
                delete.setString(1, tokenHash);
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int removeExpired(final Instant now) {
        return db.read(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM sessions WHERE expires_ms <= ?")) {
                delete.setLong(1, now.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public int size() {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM sessions");
                 ResultSet row = query.executeQuery()) {
                return row.next() ? row.getInt(1) : 0;
            }
        });
    }
}
