package dev.vigil.bridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The registry's change counter: every change adds one, so a bridge notices it with one cheap read. */
final class RegistryVersion {

    private RegistryVersion() {
    }

    /** Adds one, in the caller's transaction. */
    static void bump(final Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE registry_version SET version = version + 1 WHERE id = 1")) {
            update.executeUpdate();
        }
    }

    /** The current count. */
    static long read(final Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT version FROM registry_version WHERE id = 1");
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }
}
