package dev.vigil.bridge;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;

/** Bad input through a real server and HTTP client. */
@ServerTest
class BadInputRoutingIT extends AbstractBadInputRoutingTest {

    BadInputRoutingIT(final Http1Client client) {
        super(client);
    }
}
