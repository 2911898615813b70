package dev.vigil.bridge;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;

/** Bad input without a network. */
@RoutingTest
class BadInputRoutingTest extends AbstractBadInputRoutingTest {

    BadInputRoutingTest(final DirectClient client) {
        super(client);
    }
}
