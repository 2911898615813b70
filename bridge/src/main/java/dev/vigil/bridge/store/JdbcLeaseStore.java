package dev.vigil.bridge.store;

import dev.vigil.bridge.view.Lease;
import dev.vigil.bridge.view.LeaseStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link LeaseStore} in the registry's database (table {@code view_leases}, and {@code robot_watch}
 * for who sends the next leased start and the stop). Every bridge that shares the database renews
 * and releases every lease, and a restarted bridge forgets none. Claims are single conditional
 * statements, so when several bridges race for the same due start or stop, exactly one wins.
 */
public final class JdbcLeaseStore implements LeaseStore {

    private static final String COLUMNS = "id, robot_id, owner, key_hash, until_ms, ttl_ms";

    private final Database db;

    /** Creates the store. */
    public JdbcLeaseStore(final Database db) {
        this.db = db;
    }

    @Override
    public void put(final Lease lease) {
        db.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE view_leases SET robot_id = ?, owner = ?, key_hash = ?, until_ms = ?, ttl_ms = ? WHERE id = ?")) {
                bind(update, lease);
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO view_leases (robot_id, owner, key_hash, until_ms, ttl_ms, id) VALUES (?, ?, ?, ?, ?, ?)")) {
                bind(insert, lease);
                insert.executeUpdate();
            }
            return null;
        });
    }

    private static void bind(final PreparedStatement statement, final Lease lease) throws SQLException {
        statement.setString(1, lease.robotId());
        statement.setString(2, lease.owner());
        statement.setString(3, lease.keyHash());
        statement.setLong(4, lease.until().toEpochMilli());
        statement.setLong(5, lease.ttl().toMillis());
        statement.setString(6, lease.id());
    }

    @Override
    public Optional<Lease> get(final String robotId, final String id) {
        if (id == null) {
            return Optional.empty();
        }
        return one("SELECT " + COLUMNS + " FROM view_leases WHERE robot_id = ? AND id = ?", robotId, id);
    }

    @Override
    public Optional<Lease> byKeyHash(final String robotId, final String keyHash) {
        if (keyHash == null) {
            return Optional.empty();
        }
        return one("SELECT " + COLUMNS + " FROM view_leases WHERE robot_id = ? AND key_hash = ?", robotId, keyHash);
    }

    @Override
    public boolean remove(final String robotId, final String id) {
        return id != null && update("DELETE FROM view_leases WHERE robot_id = ? AND id = ?", robotId, id) > 0;
    }

    @Override
    public List<Lease> removeAll(final String robotId) {
        return db.transaction(connection -> {
            final List<Lease> leases = all(connection, "SELECT " + COLUMNS + " FROM view_leases WHERE robot_id = ?", robotId);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM view_leases WHERE robot_id = ?")) {
                delete.setString(1, robotId);
                delete.executeUpdate();
            }
            return leases;
        });
    }

    @Override
    public List<Lease> removeExpired(final Instant now) {
        return db.read(connection -> {
            final List<Lease> candidates = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM view_leases WHERE until_ms <= ?")) {
                query.setLong(1, now.toEpochMilli());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        candidates.add(lease(rows));
                    }
                }
            }
            final List<Lease> removed = new ArrayList<>();
            for (final Lease lease : candidates) {
                // Several bridges sweep: each lease is reported by the one whose delete took it.
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM view_leases WHERE id = ? AND until_ms <= ?")) {
                    delete.setString(1, lease.id());
                    delete.setLong(2, now.toEpochMilli());
                    if (delete.executeUpdate() > 0) {
                        removed.add(lease);
                    }
                }
            }
            return removed;
        });
    }

    @Override
    public int countByRobot(final String robotId) {
        return count("SELECT COUNT(*) FROM view_leases WHERE robot_id = ?", robotId);
    }

    @Override
    public int countByOwner(final String owner) {
        return count("SELECT COUNT(*) FROM view_leases WHERE owner = ?", owner);
    }

    @Override
    public Map<String, Integer> counts() {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT robot_id, COUNT(*) FROM view_leases GROUP BY robot_id");
                 ResultSet rows = query.executeQuery()) {
                final Map<String, Integer> counts = new HashMap<>();
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
                return counts;
            }
        });
    }

    @Override
    public boolean claimStart(final String robotId, final Instant now, final Instant nextDue) {
        return db.transaction(connection -> {
            try (PreparedStatement due = connection.prepareStatement(
                    "UPDATE robot_watch SET start_due_ms = ?, stop_at_ms = NULL WHERE robot_id = ? AND start_due_ms <= ?")) {
                due.setLong(1, nextDue.toEpochMilli());
                due.setString(2, robotId);
                due.setLong(3, now.toEpochMilli());
                if (due.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement keep = connection.prepareStatement(
                    "UPDATE robot_watch SET stop_at_ms = NULL WHERE robot_id = ?")) {
                keep.setString(1, robotId);
                if (keep.executeUpdate() > 0) {
                    return false;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO robot_watch (robot_id, start_due_ms,"
                    + " stop_at_ms) VALUES (?, ?, NULL) ON CONFLICT (robot_id) DO NOTHING")) {
                insert.setString(1, robotId);
                insert.setLong(2, nextDue.toEpochMilli());
                return insert.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Map<String, Watch> watched() {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT robot_id, start_due_ms, stop_at_ms FROM robot_watch");
                 ResultSet rows = query.executeQuery()) {
                final Map<String, Watch> watched = new HashMap<>();
                while (rows.next()) {
                    final long stopAt = rows.getLong(3);
                    final boolean noStop = rows.wasNull();
                    watched.put(rows.getString(1), new Watch(Instant.ofEpochMilli(rows.getLong(2)),
                            noStop ? null : Instant.ofEpochMilli(stopAt)));
                }
                return watched;
            }
        });
    }

    @Override
    public Optional<Instant> scheduleStop(final String robotId, final Instant stopAt) {
        return db.transaction(connection -> {
            try (PreparedStatement set = connection.prepareStatement(
                    "UPDATE robot_watch SET stop_at_ms = ? WHERE robot_id = ? AND stop_at_ms IS NULL")) {
                set.setLong(1, stopAt.toEpochMilli());
                set.setString(2, robotId);
                set.executeUpdate();
            }
            return stopAt(connection, robotId);
        });
    }

    @Override
    public boolean claimStop(final String robotId, final Instant now) {
        return db.read(connection -> {
            try (PreparedStatement claim = connection.prepareStatement("DELETE FROM robot_watch WHERE robot_id = ?"
                    + " AND stop_at_ms IS NOT NULL AND stop_at_ms <= ?"
                    + " AND NOT EXISTS (SELECT 1 FROM view_leases WHERE view_leases.robot_id = ? AND until_ms > ?)")) {
                claim.setString(1, robotId);
                claim.setLong(2, now.toEpochMilli());
                claim.setString(3, robotId);
                claim.setLong(4, now.toEpochMilli());
                return claim.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void unwatch(final String robotId) {
        update("DELETE FROM robot_watch WHERE robot_id = ?", robotId);
    }

    private static Optional<Instant> stopAt(final Connection connection, final String robotId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT stop_at_ms FROM robot_watch WHERE robot_id = ?")) {
            query.setString(1, robotId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                final long at = row.getLong(1);
                return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
            }
        }
    }

    private Optional<Lease> one(final String sql, final String... values) {
        return db.read(connection -> all(connection, sql, values).stream().findFirst());
    }

    private static List<Lease> all(final Connection connection, final String sql, final String... values) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                query.setString(i + 1, values[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                final List<Lease> leases = new ArrayList<>();
                while (rows.next()) {
                    leases.add(lease(rows));
                }
                return leases;
            }
        }
    }

    private static Lease lease(final ResultSet row) throws SQLException {
        return new Lease(row.getString("id"), row.getString("robot_id"), row.getString("owner"), row.getString("key_hash"),
                Instant.ofEpochMilli(row.getLong("until_ms")), Duration.ofMillis(row.getLong("ttl_ms")));
    }

    private int count(final String sql, final String value) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, value);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getInt(1) : 0;
                }
            }
        });
    }

    private int update(final String sql, final String... values) {
        return db.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    statement.setString(i + 1, values[i]);
                }
                return statement.executeUpdate();
            }
        });
    }
}
