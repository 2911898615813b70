package dev.vigil.bridge;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;

/** The same routes through a real server and HTTP client. */
@ServerTest
class BridgeRoutingIT extends AbstractBridgeRoutingTest {

    BridgeRoutingIT(final Http1Client client) {
        super(client);
    }
}
