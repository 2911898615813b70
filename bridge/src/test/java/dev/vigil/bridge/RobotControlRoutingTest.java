package dev.vigil.bridge;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;

/** Holds and publish admission without a network. */
@RoutingTest
class RobotControlRoutingTest extends AbstractRobotControlRoutingTest {

    RobotControlRoutingTest(final DirectClient client) {
        super(client);
    }
}
