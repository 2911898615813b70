package dev.vigil.bridge.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Checks what a caller presents, over HTTP or through the relay, with the {@link LoginThrottle}
 * around every password and token check. Session tokens (random 256-bit values) need no throttle.
 */
public final class Authenticator {

    private final Credentials credentials;
    private final LoginThrottle throttle;
    private final Sessions sessions;

    /** Creates the checker. */
    public Authenticator(final Credentials credentials, final LoginThrottle throttle, final Sessions sessions) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.sessions = sessions;
    }

    /** What became of an attempt. */
    public sealed interface Outcome {
        /** The credentials are right. */
        record Accepted(Principal principal) implements Outcome {
        }

        /** The credentials are wrong; answer after {@code delay} (the address's penalty). */
        record Refused(Duration delay) implements Outcome {
        }

        /** The account backs off: nothing was checked; try again after {@code retryAfter}. */
        record BackingOff(Duration retryAfter) implements Outcome {
        }
    }

    /** {@code user}'s {@code password}, from {@code address}. */
    public Outcome password(final String user, final String password, final String address) {
        final Optional<Duration> wait = throttle.backOff(user);
        if (wait.isPresent()) {
            return new Outcome.BackingOff(wait.get());
        }
        final Optional<Principal> principal = credentials.user(user, password);
        if (principal.isPresent()) {
            throttle.succeeded(user);
            return new Outcome.Accepted(principal.get());
        }
        return new Outcome.Refused(throttle.failed(user, address));
    }

    /** A configured bearer token, from {@code address}: no account to back off, the address counts. */
    public Outcome token(final String token, final String address) {
        final Optional<Principal> principal = credentials.token(token);
        return principal.<Outcome>map(Outcome.Accepted::new)
                .orElseGet(() -> new Outcome.Refused(throttle.failed(null, address)));
    }

    /**
     * A relay-style secret from {@code address}: a bearer token, else {@code user}'s password. A
     * wrong secret with a user name (configured or not, so that names cannot be told apart) is that
     * account's failure; without one, the address's.
     */
    public Outcome userOrToken(final String user, final String secret, final String address) {
        final Optional<Principal> byToken = credentials.token(secret);
        if (byToken.isPresent()) {
            return new Outcome.Accepted(byToken.get());
        }
        if (user != null && !user.isEmpty()) {
            return password(user, secret, address);
        }
        return new Outcome.Refused(throttle.failed(null, address));
    }

    /** The principal of a live session token. */
    public Optional<Principal> session(final String token) {
        return sessions.use(token).map(SessionStore.Session::principal);
    }

    /** Whether {@code token} is still a live session (it is not extended). */
    public boolean sessionLive(final String token) {
        return sessions.isLive(token);
    }

    /** Records a wrong secret that names no account (a lease key, a publish token) from {@code address}. */
    public Duration failedWithoutAccount(final String address) {
        return throttle.failed(null, address);
    }

    /** The throttle, for checks of other secrets (a robot's publish password). */
    public LoginThrottle throttle() {
        return throttle;
    }
}
