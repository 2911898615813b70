package dev.vigil.bridge.config;

import java.time.Duration;

/**
 * The web page's sessions: a password is exchanged once for a random token held in an HttpOnly,
 * SameSite=Strict cookie.
 *
 * @param idleTimeout  a session unused this long ends
 * @param maxAge       a session ends this long after sign-in, used or not
 * @param secureCookie whether the cookie carries {@code Secure} (browsers then send it over HTTPS
 *                     and to loopback addresses only)
 */
public record SessionSettings(Duration idleTimeout, Duration maxAge, boolean secureCookie) {
}
