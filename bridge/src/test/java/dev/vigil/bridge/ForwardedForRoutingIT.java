package dev.vigil.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.relay.RelayKicker;
import dev.vigil.testkit.MutableClock;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bridges behind a load balancer (server.trusted-proxies = loopback, as for HAProxy on the same
 * host): the login throttle counts each client by the address the proxy put in X-Forwarded-For, so
 * a guesser behind the proxy slows only itself. Through a real server; delays are recorded, not slept.
 */
@ServerTest
class ForwardedForRoutingIT {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    static final List<Duration> PAUSES = new CopyOnWriteArrayList<>();
    static final Bridge BRIDGE = Bridge.withSink(TestConfigs.settings("""
            vigil.bridge.server.trusted-proxies = ["127.0.0.0/8", "::1"]
            vigil.bridge.auth.throttle { account-free-failures = 5, address-free-failures = 20 }
            """), CLOCK, new RecordingSink(), PAUSES::add, RelayKicker.NONE);

    private final RouteClient client;

    ForwardedForRoutingIT(final Http1Client client) {
        this.client = new RouteClient(client);
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    @BeforeEach
    void forget() {
        CLOCK.advance(Duration.ofHours(1));
        PAUSES.clear();
    }

    private int robotsAs(final String user, final String password, final String forwardedFor) {
        return client.call(Method.GET, "/robots", Map.of("Authorization", RouteClient.basic(user, password),
                "X-Forwarded-For", forwardedFor), null).status();
    }

    @Test
    void aSprayBehindTheProxy_slowsItsOwnAddressOnly() {
        for (int i = 0; i < 30; i++) {
            // What the client wrote itself (left) is not believed; the proxy appended 203.0.113.7.
            assertEquals(401, robotsAs("sprayed-" + i, "Winter2026!", "10.0.0." + i + ", 203.0.113.7"));
        }
        final List<Duration> delays = PAUSES.stream().filter(d -> !d.isZero()).toList();
        assertEquals(10, delays.size(), "refusals after the 20th from 203.0.113.7 are delayed: " + PAUSES);
        PAUSES.clear();
        for (int i = 0; i < 3; i++) {
            assertEquals(401, robotsAs("someone-" + i, "typo", "203.0.113.8"));
        }
        assertEquals(200, robotsAs(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD, "203.0.113.8"));
        assertTrue(PAUSES.stream().allMatch(Duration::isZero), "another client behind the proxy paid for it: " + PAUSES);
    }

    @Test
    void signInThroughTheProxy_countsTheForwardedAddress() {
        final Map<String, String> page = Map.of("X-Requested-With", "vigil-app", "Content-Type", "application/json",
                "X-Forwarded-For", "203.0.113.9");
        for (int i = 0; i < 25; i++) {
            assertEquals(401, client.call(Method.POST, "/session", page,
                    "{\"user\":\"nobody-%d\",\"password\":\"guess\"}".formatted(i)).status());
        }
        assertEquals(5, PAUSES.stream().filter(d -> !d.isZero()).count(), "the page's sign-in after the 20th: " + PAUSES);
    }
}
