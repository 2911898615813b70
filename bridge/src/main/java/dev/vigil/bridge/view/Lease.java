package dev.vigil.bridge.view;

import java.time.Duration;
import java.time.Instant;

/**
 * One open view of a robot.
 *
 * @param id      the lease id the client renews and releases
 * @param robotId robot id
 * @param until   when it ends unless renewed
 * @param ttl     how long each renewal extends it
 */
public record Lease(String id, String robotId, Instant until, Duration ttl) {
}
