package dev.vigil.bridge.view;

/**
 * A view just opened: the lease, and its relay read key, which is given to the client once and
 * never kept or logged.
 *
 * @param lease the lease
 * @param key   the secret a player gives the relay (as the password, or {@code ?key=})
 */
public record OpenedLease(Lease lease, String key) {

    @Override
    public String toString() {
        return "OpenedLease[lease=" + lease + "]";
    }
}
