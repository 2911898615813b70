package dev.vigil.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.config.ThrottleSettings;
import dev.vigil.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(new InMemoryFailureStore(), new ThrottleSettings(
            3, Duration.ofSeconds(1), Duration.ofSeconds(8), 5, Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofMinutes(15)), clock);

    @Test
    void accountBackOff_doublesWithEachFailure_upToItsMaximum() {
        for (int i = 0; i < 2; i++) {
            throttle.failed("otto", "10.0.0.1");
        }
        assertTrue(throttle.backOff("otto").isEmpty());
        throttle.failed("otto", "10.0.0.1");
        assertEquals(Duration.ofSeconds(1), throttle.backOff("otto").orElseThrow());
        clock.advance(Duration.ofSeconds(1));
        throttle.failed("otto", "10.0.0.1");
        assertEquals(Duration.ofSeconds(2), throttle.backOff("otto").orElseThrow());
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(9));
            throttle.failed("otto", "10.0.0.1");
        }
        assertEquals(Duration.ofSeconds(8), throttle.backOff("otto").orElseThrow());
    }

    @Test
    void success_clearsOwnAccountOnly() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("otto", "10.0.0.1");
        }
        throttle.succeeded("vera");
        assertTrue(throttle.backOff("otto").isPresent(), "a viewer's success cleared the operator's failures");
        clock.advance(Duration.ofSeconds(2));
        throttle.succeeded("otto");
        throttle.failed("otto", "10.0.0.1");
        assertTrue(throttle.backOff("otto").isEmpty());
    }

    @Test
    void failures_forgottenAfterQuietWindow() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("otto", "10.0.0.1");
        }
        clock.advance(Duration.ofMinutes(16));
        assertTrue(throttle.backOff("otto").isEmpty());
        throttle.failed("otto", "10.0.0.1");
        assertTrue(throttle.backOff("otto").isEmpty(), "the count did not start again after the window");
    }

    @Test
    void addressDelay_growsPastFreeFailures_andIpv6CountsByItsSlash64() {
        Duration last = Duration.ZERO;
        for (int i = 0; i < 5; i++) {
            last = throttle.failed(null, "2001:db8:1:2::" + Integer.toHexString(i + 1));
        }
        assertEquals(Duration.ZERO, last);
        assertEquals(Duration.ofMillis(100), throttle.failed(null, "2001:db8:1:2:ffff::9"));
        assertEquals(Duration.ofMillis(200), throttle.failed(null, "2001:db8:1:2::77"));
        assertEquals(Duration.ZERO, throttle.failed(null, "2001:db8:1:3::1"), "another /64 paid");
        assertEquals(LoginThrottle.addressKey("2001:db8:1:2::1"), LoginThrottle.addressKey("2001:0db8:0001:0002:aaaa::1"));
        assertEquals("address:not an address", LoginThrottle.addressKey("not an address"));
    }
}
