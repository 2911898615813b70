package dev.vigil.bridge;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;

/** The page's sessions without a network. */
@RoutingTest
class SessionRoutingTest extends AbstractSessionRoutingTest {

    SessionRoutingTest(final DirectClient client) {
        super(client);
    }
}
