package dev.vigil.bridge.store;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.record.RecordingStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RecordingStore} in the registry's database (table {@code recordings}): every bridge that
 * shares it sees, stops and ends every recording, and a restarted bridge forgets none.
 */
public final class JdbcRecordingStore implements RecordingStore {

    private static final String COLUMNS = "robot_id, lease_id, asked_by, by_kind, since_ms, until_ms";

    private final Database db;

    /** Creates the store. */
    public JdbcRecordingStore(final Database db) {
        this.db = db;
    }

    @Override
    public Optional<Stored> put(final Stored recording) {
        return db.transaction(connection -> {
            final Optional<Stored> earlier = select(connection, "WHERE robot_id = ?", recording.robotId()).stream().findFirst();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM recordings WHERE robot_id = ?")) {
                delete.setString(1, recording.robotId());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO recordings (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
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
    public boolean remove(final String robotId, final String leaseId) {
        return db.read(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM recordings WHERE robot_id = ? AND lease_id = ?")) {
                delete.setString(1, robotId);
                delete.setString(2, leaseId);
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<Stored> all() {
        return db.read(connection -> select(connection, ""));
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
                    found.add(new Stored(rows.getString(1), rows.getString(2), new Principal(rows.getString(3), Role.OPERATOR,
                            Principal.Kind.valueOf(rows.getString(4)), 0), Instant.ofEpochMilli(rows.getLong(5)),
                            Instant.ofEpochMilli(rows.getLong(6))));
                }
                return found;
            }
        }
    }
}
