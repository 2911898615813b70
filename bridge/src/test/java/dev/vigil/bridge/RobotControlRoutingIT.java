package dev.vigil.bridge;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;

/** Holds and publish admission through a real server and HTTP client. */
@ServerTest
class RobotControlRoutingIT extends AbstractRobotControlRoutingTest {

    RobotControlRoutingIT(final Http1Client client) {
        super(client);
    }
}
