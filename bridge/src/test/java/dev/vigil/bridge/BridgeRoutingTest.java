package dev.vigil.bridge;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;

/** The routes without a network. */
@RoutingTest
class BridgeRoutingTest extends AbstractBridgeRoutingTest {

    BridgeRoutingTest(final DirectClient client) {
        super(client);
    }
}
