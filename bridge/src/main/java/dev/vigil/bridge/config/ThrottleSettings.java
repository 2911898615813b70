package dev.vigil.bridge.config;

import java.time.Duration;

/**
 * How failed authentications are slowed down (see bridge/README.md, "Throttling"). Failures are
 * counted per account (a user name) and per client address, over HTTP and the relay alike.
 *
 * @param accountFreeFailures failures of one account before it backs off
 * @param accountInitialDelay its first back-off; each further failure doubles it
 * @param accountMaxDelay     the longest back-off of an account
 * @param addressFreeFailures failures from one address before its refusals are slowed down
 * @param addressInitialDelay the first delay of such a refusal; each further failure doubles it
 * @param addressMaxDelay     the longest delay of a refusal
 * @param window              failures are forgotten after this long without a new one
 */
public record ThrottleSettings(int accountFreeFailures, Duration accountInitialDelay, Duration accountMaxDelay,
                               int addressFreeFailures, Duration addressInitialDelay, Duration addressMaxDelay,
                               Duration window) {
}
