package dev.vigil.bridge.store;

import dev.vigil.bridge.config.AuthSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** The users (Basic auth) and bearer tokens of the registry, each by name with a hash and a role. */
public final class AccountStore {

    /** Which kind of account. */
    public enum Kind {
        /** A user name with a password (PBKDF2 hash). */
        USER("users", "password_hash"),
        /** A named bearer token (SHA-256 hash). */
        TOKEN("tokens", "hash");

        private final String table;
        private final String hashColumn;

        Kind(final String table, final String hashColumn) {
            this.table = table;
            this.hashColumn = hashColumn;
        }

        /** {@code user} or {@code token}. */
        public String noun() {
            return this == USER ? "user" : "token";
        }
    }

    private final Database db;
    private final Clock clock;

    /** Creates the store. */
    public AccountStore(final Database db, final Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Adds account {@code name} of {@code kind}; its name must be free. */
    public void add(final Kind kind, final String name, final AuthSettings.Credential credential) throws ConflictException {
        final boolean added = db.transaction(connection -> {
            if (exists(connection, kind, name)) {
                return false;
            }
            try {
                insert(connection, kind, name, credential);
            } catch (final SQLException e) {
                if (Database.isConstraintViolation(e)) {
                    return false;
                }
                throw e;
            }
            RegistryVersion.bump(connection);
            return true;
        });
        if (!added) {
            throw new ConflictException(kind.noun() + " '" + name + "' is already in the registry");
        }
    }

    /** Makes the registry hold account {@code name} with exactly {@code credential}: adds it or replaces it. */
    public Outcome put(final Kind kind, final String name, final AuthSettings.Credential credential) {
        return db.transaction(connection -> {
            AuthSettings.Credential current = null;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + kind.hashColumn + ", role, max_views FROM " + kind.table + " WHERE name = ?")) {
                query.setString(1, name);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        current = new AuthSettings.Credential(rows.getString(1), rows.getString(2), rows.getInt(3));
                    }
                }
            }
            final String hash = current == null ? null : current.hash();
            if (credential.equals(current)) {
                return Outcome.UNCHANGED;
            }
            if (hash == null) {
                insert(connection, kind, name, credential);
            } else {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE " + kind.table + " SET " + kind.hashColumn + " = ?, role = ?, max_views = ? WHERE name = ?")) {
                    update.setString(1, credential.hash());
                    update.setString(2, credential.role());
                    update.setInt(3, credential.maxViews());
                    update.setString(4, name);
                    update.executeUpdate();
                }
            }
            RegistryVersion.bump(connection);
            return hash == null ? Outcome.ADDED : Outcome.UPDATED;
        });
    }

    /** Replaces the hash of account {@code name}; false when there is none. */
    public boolean replaceHash(final Kind kind, final String name, final String hash) {
        return change("UPDATE " + kind.table + " SET " + kind.hashColumn + " = ? WHERE name = ?", hash, name);
    }

    /** Removes account {@code name}; false when there is none. */
    public boolean remove(final Kind kind, final String name) {
        return change("DELETE FROM " + kind.table + " WHERE name = ?", name);
    }

    /** Every account of {@code kind} by name, in name order. */
    public Map<String, AuthSettings.Credential> all(final Kind kind) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT name, " + kind.hashColumn + ", role, max_views FROM " + kind.table + " ORDER BY name");
                 ResultSet rows = query.executeQuery()) {
                final Map<String, AuthSettings.Credential> out = new LinkedHashMap<>();
                while (rows.next()) {
                    out.put(rows.getString(1), new AuthSettings.Credential(rows.getString(2), rows.getString(3), rows.getInt(4)));
                }
                return out;
            }
        });
    }

    private boolean change(final String sql, final String... values) {
        return db.transaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    statement.setString(i + 1, values[i]);
                }
                if (statement.executeUpdate() == 0) {
                    return false;
                }
            }
            RegistryVersion.bump(connection);
            return true;
        });
    }

    private void insert(final Connection connection, final Kind kind, final String name,
                        final AuthSettings.Credential credential) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + kind.table
                + " (name, " + kind.hashColumn + ", role, max_views, created_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, credential.hash());
            insert.setString(3, credential.role());
            insert.setInt(4, credential.maxViews());
            insert.setLong(5, clock.millis());
            insert.executeUpdate();
        }
    }

    private static boolean exists(final Connection connection, final Kind kind, final String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM " + kind.table + " WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
