package dev.vigil.bridge.config;

import java.time.Duration;

/**
 * View leases.
 *
 * @param ttl              a lease lives this long unless renewed
 * @param agentLeaseMargin added to the TTL for the agent's lease
 * @param renewEvery       how often the leased start is re-sent
 * @param linger           delay between the last view's end and the stop
 * @param sweepEvery       how often expired leases are swept
 * @param maxPerRobot      live views per robot at most
 * @param maxPerUser       live views one user or token may hold, unless its credential says otherwise
 * @param maxWait          the longest start wait accepted
 */
public record ViewSettings(Duration ttl, Duration agentLeaseMargin, Duration renewEvery, Duration linger,
                           Duration sweepEvery, int maxPerRobot, int maxPerUser, Duration maxWait) {
}
