package dev.vigil.bridge.store;

import dev.vigil.bridge.config.RobotSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The robots of the registry. Each keeps only a hash of its password and the public key of its tokens. */
public final class RobotStore {

    private static final String COLUMNS =
            "id, base_topic, relay, relay_path, publish_user, publish_password_hash, publish_key";

    private final Database db;
    private final Clock clock;

    /** Creates the store. */
    public RobotStore(final Database db, final Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Adds {@code robot}; its id, base topic and relay path must all be free. */
    public void add(final RobotSettings robot) throws ConflictException {
        final String conflict = db.transaction(connection -> {
            final String clash = clash(connection, robot);
            if (clash != null) {
                return clash;
            }
            final long now = clock.millis();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO robots (base_topic, relay, relay_path,"
                    + " publish_user, publish_password_hash, publish_key, updated_at, id, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, robot, now);
                insert.setLong(9, now);
                insert.executeUpdate();
            } catch (final SQLException e) {
                if (Database.isConstraintViolation(e)) {
                    return "robot '" + robot.id() + "', its topic or its relay path is already in the registry";
                }
                throw e;
            }
            RegistryVersion.bump(connection);
            return null;
        });
        if (conflict != null) {
            throw new ConflictException(conflict);
        }
    }

    /**
     * Makes the registry hold exactly {@code robot} (its topic, relay, path and credentials): adds it,
     * or replaces what differs. Its topic and relay path must not be another robot's.
     */
    public Outcome put(final RobotSettings robot) throws ConflictException {
        final Optional<RobotSettings> current = find(robot.id());
        if (current.isEmpty()) {
            add(robot);
            return Outcome.ADDED;
        }
        if (current.get().equals(robot)) {
            return Outcome.UNCHANGED;
        }
        final String conflict = db.transaction(connection -> {
            final String clash = clash(connection, robot, robot.id());
            if (clash != null) {
                return clash;
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE robots SET base_topic = ?, relay = ?,"
                    + " relay_path = ?, publish_user = ?, publish_password_hash = ?, publish_key = ?, updated_at = ?"
                    + " WHERE id = ?")) {
                bind(update, robot, clock.millis());
                update.executeUpdate();
            }
            RegistryVersion.bump(connection);
            return null;
        });
        if (conflict != null) {
            throw new ConflictException(conflict);
        }
        return Outcome.UPDATED;
    }

    private static String clash(final Connection connection, final RobotSettings robot) throws SQLException {
        return clash(connection, robot, null);
    }

    /** What of {@code robot} another robot (not {@code self}) already has, or {@code null}. */
    private static String clash(final Connection connection, final RobotSettings robot, final String self)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id, base_topic, relay_path FROM robots WHERE (id = ? OR base_topic = ? OR relay_path = ?)"
                        + " AND id <> ?")) {
            query.setString(1, robot.id());
            query.setString(2, robot.baseTopic());
            query.setString(3, robot.relayPath());
            query.setString(4, self == null ? "" : self);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                if (rows.getString(1).equals(robot.id())) {
                    return "robot '" + robot.id() + "' is already in the registry";
                }
                if (rows.getString(2).equals(robot.baseTopic())) {
                    return "robot '" + rows.getString(1) + "' already uses the topic '" + robot.baseTopic() + "'";
                }
                return "robot '" + rows.getString(1) + "' already publishes to the relay path '" + robot.relayPath() + "'";
            }
        }
    }

    /** Every robot, by id. */
    public List<RobotSettings> all() {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM robots ORDER BY id");
                 ResultSet rows = query.executeQuery()) {
                final List<RobotSettings> robots = new ArrayList<>();
                while (rows.next()) {
                    robots.add(robot(rows));
                }
                return robots;
            }
        });
    }

    /** The robot {@code id}, if the registry holds it. */
    public Optional<RobotSettings> find(final String id) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM robots WHERE id = ?")) {
                query.setString(1, id);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(robot(rows)) : Optional.empty();
                }
            }
        });
    }

    /** Removes robot {@code id}; false when it was not there. */
    public boolean remove(final String id) {
        return db.transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM robots WHERE id = ?")) {
                delete.setString(1, id);
                if (delete.executeUpdate() == 0) {
                    return false;
                }
            }
            RegistryVersion.bump(connection);
            return true;
        });
    }

    /**
     * Replaces the publish credentials of robot {@code id}: the public key of its tokens and, when
     * {@code passwordHash} is not null, its password hash. False when the robot is not there.
     */
    public boolean replaceCredentials(final String id, final String publishKey, final String passwordHash) {
        return db.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE robots SET publish_key = ?, publish_password_hash = COALESCE(?, publish_password_hash),"
                            + " updated_at = ? WHERE id = ?")) {
                update.setString(1, publishKey);
                update.setString(2, passwordHash);
                update.setLong(3, clock.millis());
                update.setString(4, id);
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            RegistryVersion.bump(connection);
            return true;
        });
    }

    /** The registry's change counter (robots, users and tokens). */
    public long version() {
        return db.read(RegistryVersion::read);
    }

    /** Binds the robot's columns in the order base_topic, relay, relay_path, publish_user, publish_password_hash, publish_key, updated_at, id. */
    private static void bind(final PreparedStatement statement, final RobotSettings robot, final long now) throws SQLException {
        statement.setString(1, robot.baseTopic());
        statement.setString(2, robot.relay());
        statement.setString(3, robot.relayPath());
        statement.setString(4, robot.publishUser());
        statement.setString(5, robot.publishPasswordHash());
        statement.setString(6, robot.publishKey());
        statement.setLong(7, now);
        statement.setString(8, robot.id());
    }

    private static RobotSettings robot(final ResultSet row) throws SQLException {
        return new RobotSettings(row.getString("id"), row.getString("base_topic"), row.getString("relay_path"),
                row.getString("publish_user"), row.getString("publish_password_hash"), null,
                row.getString("publish_key"), row.getString("relay"));
    }
}
