package dev.vigil.bridge.store;

import dev.vigil.bridge.auth.FailureStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link FailureStore} in the registry's database, so that a guesser gains nothing by spreading
 * tries over several bridges. Keys are accounts and addresses, never secrets.
 */
public final class JdbcFailureStore implements FailureStore {

    private final Database db;
    private final java.util.concurrent.atomic.AtomicLong nextPrune = new java.util.concurrent.atomic.AtomicLong();

    /** Creates the store. */
    public JdbcFailureStore(final Database db) {
        this.db = db;
    }

    @Override
    public Optional<Failures> get(final String key, final Instant now, final Duration window) {
        return db.read(connection -> read(connection, key)
                .filter(f -> now.isBefore(f.last().plus(window))));
    }

    @Override
    public Failures add(final String key, final Instant now, final Duration window) {
        return db.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE login_failures SET failures ="
                    + " CASE WHEN last_ms + ? <= ? THEN 1 ELSE failures + 1 END, last_ms = ? WHERE failure_key = ?")) {
                update.setLong(1, window.toMillis());
                update.setLong(2, now.toEpochMilli());
                update.setLong(3, now.toEpochMilli());
                update.setString(4, key);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO login_failures (failure_key, failures, last_ms) VALUES (?, 1, ?)")) {
                        insert.setString(1, key);
                        insert.setLong(2, now.toEpochMilli());
                        insert.executeUpdate();
                    }
                }
            }
            final long due = nextPrune.get();
            if (now.toEpochMilli() >= due && nextPrune.compareAndSet(due, now.plus(window).toEpochMilli())) {
                // Once a window, forget the keys that have been quiet for ten of them.
                try (PreparedStatement prune = connection.prepareStatement("DELETE FROM login_failures WHERE last_ms < ?")) {
                    prune.setLong(1, now.minus(window.multipliedBy(10)).toEpochMilli());
                    prune.executeUpdate();
                }
            }
            return read(connection, key).orElse(new Failures(1, now));
        });
    }

    @Override
    public void clear(final String key) {
        db.read(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM login_failures WHERE failure_key = ?")) {
                delete.setString(1, key);
                return delete.executeUpdate();
            }
        });
    }

    private static Optional<Failures> read(final Connection connection, final String key) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT failures, last_ms FROM login_failures WHERE failure_key = ?")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new Failures(row.getInt(1), Instant.ofEpochMilli(row.getLong(2))))
                        : Optional.empty();
            }
        }
    }
}
