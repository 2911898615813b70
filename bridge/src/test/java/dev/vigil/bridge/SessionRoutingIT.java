package dev.vigil.bridge;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;

/** The page's sessions through a real server and HTTP client. */
@ServerTest
class SessionRoutingIT extends AbstractSessionRoutingTest {

    SessionRoutingIT(final Http1Client client) {
        super(client);
    }
}
