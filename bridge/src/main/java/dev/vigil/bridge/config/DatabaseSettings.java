package dev.vigil.bridge.config;

import java.time.Duration;

/**
 * Where the registry (robots, users, tokens, view leases) lives.
 *
 * @param url            a JDBC URL ({@code jdbc:sqlite:...} or {@code jdbc:postgresql://...})
 * @param user           database user, empty for none
 * @param password       database password, empty for none; never logged
 * @param poolSize       connections kept open at most
 * @param connectTimeout how long a request waits for a connection
 * @param refreshEvery   how often the bridge looks for changes that another process made
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, Duration connectTimeout,
                               Duration refreshEvery) {

    /** Whether this is the embedded SQLite file rather than a shared server. */
    public boolean embedded() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** The URL without credentials, for logs. */
    public String describe() {
        final int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + describe() + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
