package dev.vigil.bridge.auth;

import dev.vigil.bridge.config.ThrottleSettings;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Slows down password guessing without locking anyone out by address (OWASP Authentication Cheat
 * Sheet: per-account throttling with an exponential back-off, not a lockout of an address; see
 * bridge/README.md). Failures from HTTP and from the relay's questions count alike.
 *
 * <ul>
 *   <li>Per account: after {@code accountFreeFailures}, the account backs off; until the back-off
 *       ends, attempts for it are refused without being checked, so guessing gets nothing; each
 *       further failure doubles the back-off up to its maximum.</li>
 *   <li>Per address (an IPv6 address counts by its /64): after {@code addressFreeFailures}, each
 *       further refusal to that address is delayed, doubling up to a few seconds. A right password
 *       from it is never delayed or refused for the address's sake, so people who share the address
 *       with an attacker (a NAT) still sign in.</li>
 *   <li>A success clears the failures of its own account only, never another account's and never
 *       the address's.</li>
 * </ul>
 */
public final class LoginThrottle {

    private static final int MAX_ACCOUNT_KEY = 200;

    private final FailureStore store;
    private final ThrottleSettings settings;
    private final Clock clock;

    /** Creates the throttle over {@code store}. */
    public LoginThrottle(final FailureStore store, final ThrottleSettings settings, final Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** How long {@code account} must wait before an attempt for it is checked; empty when it may try now. */
    public Optional<Duration> backOff(final String account) {
        if (account == null) {
            return Optional.empty();
        }
        final Instant now = clock.instant();
        return store.get(accountKey(account), now, settings.window()).flatMap(f -> {
            final Instant until = f.last().plus(delay(f.count(), settings.accountFreeFailures(),
                    settings.accountInitialDelay(), settings.accountMaxDelay()));
            return now.isBefore(until) ? Optional.of(Duration.between(now, until)) : Optional.empty();
        });
    }

    /**
     * Records a failed attempt for {@code account} (null when none was named, e.g. a wrong bearer
     * token) from {@code address}; answers how long the refusal should be delayed.
     */
    public Duration failed(final String account, final String address) {
        final Instant now = clock.instant();
        if (account != null) {
            store.add(accountKey(account), now, settings.window());
        }
        final FailureStore.Failures fromAddress = store.add(addressKey(address), now, settings.window());
        return delay(fromAddress.count() - 1, settings.addressFreeFailures(), settings.addressInitialDelay(),
                settings.addressMaxDelay());
    }

    /** {@code account} authenticated: its own failures are forgotten. */
    public void succeeded(final String account) {
        if (account != null) {
            store.clear(accountKey(account));
        }
    }

    /** {@code min(initial * 2^(failures - free), max)} once {@code failures >= free}, else zero. */
    static Duration delay(final int failures, final int free, final Duration initial, final Duration max) {
        if (failures < free) {
            return Duration.ZERO;
        }
        final Duration delay = initial.multipliedBy(1L << Math.min(failures - free, 30));
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private static String accountKey(final String account) {
        return "account:" + (account.length() > MAX_ACCOUNT_KEY ? account.substring(0, MAX_ACCOUNT_KEY) : account);
    }

    /** The address, or the /64 network of an IPv6 address (one attacker holds a whole /64). */
    static String addressKey(final String address) {
        final String text = address == null ? "" : address.strip();
        // Only a plain IPv6 literal is parsed: anything else could make InetAddress look a name up.
        if (text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.]+")) {
            try {
                final InetAddress parsed = InetAddress.getByName(text);
                if (parsed instanceof Inet6Address v6 && !v6.isLoopbackAddress()) {
                    final byte[] prefix = java.util.Arrays.copyOf(v6.getAddress(), 8);
                    return "address:" + HexFormat.of().formatHex(prefix) + "::/64";
                }
            } catch (final UnknownHostException | SecurityException e) {
                return "address:" + text;
            }
        }
        return "address:" + (text.length() > 64 ? text.substring(0, 64) : text);
    }
}
