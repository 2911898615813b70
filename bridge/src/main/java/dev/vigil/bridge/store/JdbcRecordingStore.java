package dev.vigil.bridge.store;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.record.RecordingStore;
import dev.vigil.bridge.record.Recordings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RecordingStore} in the registry's database (table {@code recordings}, a row per robot): every
 * bridge that shares it sees, stops and ends every recording, and a restarted bridge forgets none.
 */
public final class JdbcRecordingStore implements RecordingStore {

    private static final String COLUMNS = "robot_id, lease_id, asked_by, by_kind, since_ms, until_ms, ended_ms, end_cause, end_reason";

    private final Database db;

    /** Creates the store. */
    public JdbcRecordingStore(final Database db) {
        this.db = db;
    }

    @Override
    public Optional<Stored> put(final Stored recording) {
        return db.transaction(connection -> {
            final Optional<Stored> earlier = select(connection, "WHERE robot_id = ?", recording.robotId()).stream()
                    .filter(Stored::running).findFirst();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM recordings WHERE robot_id = ?")) {
                delete.setString(1, recording.robotId());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO recordings (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL)")) {
                insert.setString(1, recording.robotId());
                insert.setString(2, recording.leaseId());
                insert.setString(3, recording.by().name());
                insert.setString(4, recording.by().kind().name());
                insert.setLong(5, recording.since().toEpochMilli());
                insert.setLong(6, recording.until().toEpochMilli());
                insert.executeUpdate();
            }
            return earlier;
        });
    }

    @Override
    public Optional<Stored> get(final String robotId) {
        return db.read(connection -> select(connection, "WHERE robot_id = ?", robotId).stream().findFirst());
    }

    @Override
    public boolean end(final String robotId, final String leaseId, final Recordings.Stopped how) {
        return db.read(connection -> {
            // One conditional statement: when several bridges end the same recording, exactly one wins.
            try (PreparedStatement end = connection.prepareStatement("UPDATE recordings SET ended_ms = ?, end_cause = ?,"
                    + " end_reason = ? WHERE robot_id = ? AND lease_id = ? AND ended_ms IS NULL")) {
                end.setLong(1, how.at().toEpochMilli());
                end.setString(2, how.cause().name());
                end.setString(3, how.reason().length() > 500 ? how.reason().substring(0, 500) : how.reason());
                end.setString(4, robotId);
                end.setString(5, leaseId);
                return end.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<Stored> running() {
        return db.read(connection -> select(connection, "WHERE ended_ms IS NULL"));
    }

    private static List<Stored> select(final Connection connection, final String where, final String... values)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM recordings " + where)) {
            for (int i = 0; i < values.length; i++) {
                query.setString(i + 1, values[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                final List<Stored> found = new ArrayList<>();
                while (rows.next()) {
                    // Only operators start recordings; the operator role also lets any bridge renew and release its lease.
                    final long endedMs = rows.getLong(7);
                    final Recordings.Stopped ended = rows.wasNull() ? null : new Recordings.Stopped(
                            Instant.ofEpochMilli(endedMs), Recordings.Cause.valueOf(rows.getString(8)), rows.getString(9));
                    found.add(new Stored(rows.getString(1), rows.getString(2), new Principal(rows.getString(3), Role.OPERATOR,
                            Principal.Kind.valueOf(rows.getString(4)), 0), Instant.ofEpochMilli(rows.getLong(5)),
                            Instant.ofEpochMilli(rows.getLong(6)), ended));
                }
                return found;
            }
        }
    }
}
