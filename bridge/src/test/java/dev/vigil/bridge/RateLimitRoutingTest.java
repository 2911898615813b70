package dev.vigil.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Repeated failed logins from one address get 429 with Retry-After, even with right credentials. */
@RoutingTest
class RateLimitRoutingTest {

    private static final Bridge BRIDGE = Bridge.withSink(
            TestConfigs.settings("vigil.bridge.auth.max-failures = 3"), Clock.systemUTC(), new RecordingSink());

    private final DirectClient client;

    RateLimitRoutingTest(final DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    private Http1ClientResponse robots(final String token) {
        return client.get("/robots").header(HeaderNames.AUTHORIZATION, "Bearer " + token).request();
    }

    @Test
    void auth_429WithRetryAfter_afterRepeatedFailures() {
        for (int i = 0; i < 3; i++) {
            try (Http1ClientResponse res = robots("wrong-" + i)) {
                assertEquals(Status.UNAUTHORIZED_401, res.status());
            }
        }
        try (Http1ClientResponse res = robots(TestConfigs.VIEWER_TOKEN)) {
            assertEquals(Status.TOO_MANY_REQUESTS_429, res.status());
            assertTrue(Integer.parseInt(res.headers().first(HeaderNames.RETRY_AFTER).orElseThrow()) >= 1);
        }
    }
}
