package dev.vigil.bridge;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;

/** The authorization matrix without a network. */
@RoutingTest
class AuthorizationMatrixTest extends AbstractAuthorizationMatrixTest {

    AuthorizationMatrixTest(final DirectClient client) {
        super(client);
    }
}
