package dev.vigil.bridge.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.bridge.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's database: a HikariCP pool over the embedded SQLite file (created on first
 * start) or a shared PostgreSQL, with the schema brought up to date by Flyway
 * ({@code classpath:db/migration}) when it opens.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final DatabaseSettings settings;
    private final HikariDataSource pool;

    private Database(final DatabaseSettings settings, final HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /** Opens the pool and migrates the schema; throws {@link StoreException} with a one-line reason. */
    public static Database open(final DatabaseSettings settings) {
        final HikariConfig config = new HikariConfig();
        config.setPoolName("vigil-registry");
        config.setJdbcUrl(settings.url());
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
        config.setInitializationFailTimeout(Math.max(1, settings.connectTimeout().toMillis()));
        if (settings.embedded()) {
            // WAL: readers do not wait for the writer; busy_timeout: a second writer (the CLI) waits
            // instead of failing; IMMEDIATE: a transaction takes the write lock first, so two of them
            // never deadlock upgrading a read lock.
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("busy_timeout", Long.toString(Math.max(1000, settings.connectTimeout().toMillis())));
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.addDataSourceProperty("foreign_keys", "true");
        }
        final HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (final RuntimeException e) {
            throw new StoreException("cannot open the registry database " + settings.describe() + ": " + oneLine(e), e);
        }
        try {
            final MigrateResult result = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("Registry database {}: schema migrated to version {} ({} migration(s))", settings.describe(),
                        result.targetSchemaVersion, result.migrationsExecuted);
            }
        } catch (final FlywayException e) {
            pool.close();
            throw new StoreException("cannot migrate the registry database " + settings.describe() + ": " + oneLine(e), e);
        }
        return new Database(settings, pool);
    }

    /** Runs {@code work} on a connection in auto-commit mode. */
    public <T> T read(final SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (final SQLException e) {
            throw new StoreException("registry database: " + oneLine(e), e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(final SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                final T result = work.run(connection);
                connection.commit();
                return result;
            } catch (final SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (final SQLException e) {
            throw new StoreException("registry database: " + oneLine(e), e);
        }
    }

    /** The database's URL without credentials. */
    public String describe() {
        return settings.describe();
    }

    /** Whether this is the embedded SQLite file. */
    public boolean embedded() {
        return settings.embedded();
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Whether {@code e} says that a unique key or other constraint was violated. */
    static boolean isConstraintViolation(final SQLException e) {
        final String state = e.getSQLState();
        final String message = String.valueOf(e.getMessage());
        return state != null && state.startsWith("23") || message.contains("SQLITE_CONSTRAINT");
    }

    /** A throwable as one line: its message, never a password (JDBC drivers do not print it). */
    static String oneLine(final Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        final String line = message.replace('\n', ' ').strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        /** Does the work. */
        T run(Connection connection) throws SQLException;
    }
}
