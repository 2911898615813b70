package dev.vigil.bridge;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;

/** The throttle's sequences without a network. */
@RoutingTest
class ThrottleRoutingTest extends AbstractThrottleRoutingTest {

    ThrottleRoutingTest(final DirectClient client) {
        super(client);
    }
}
