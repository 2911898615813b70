package dev.vigil.bridge.view;

import java.time.Duration;
import java.time.Instant;

/**
 * One open view of a robot. Its id names it in URLs ({@code PUT/DELETE .../views/{id}}) and is no
 * secret: only its owner or an operator may renew or release it. The relay credential is a separate
 * key, handed out once when the view opens and kept here only as its SHA-256.
 *
 * @param id      the lease id the client renews and releases
 * @param robotId robot id
 * @param owner   who opened it ({@link dev.vigil.bridge.auth.Principal#owner()})
 * @param keyHash SHA-256 of the relay read key ({@code sha256$<hex>})
 * @param until   when it ends unless renewed
 * @param ttl     how long each renewal extends it
 */
public record Lease(String id, String robotId, String owner, String keyHash, Instant until, Duration ttl) {

    /** This lease extended to {@code newUntil}. */
    public Lease renewedUntil(final Instant newUntil) {
        return new Lease(id, robotId, owner, keyHash, newUntil, ttl);
    }

    /** Whether it still lives at {@code now}. */
    public boolean liveAt(final Instant now) {
        return now.isBefore(until);
    }
}
