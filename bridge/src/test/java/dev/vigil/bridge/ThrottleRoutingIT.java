package dev.vigil.bridge;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;

/** The throttle's sequences through a real server and HTTP client. */
@ServerTest
class ThrottleRoutingIT extends AbstractThrottleRoutingTest {

    ThrottleRoutingIT(final Http1Client client) {
        super(client);
    }
}
