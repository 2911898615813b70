package dev.vigil.bridge;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;

/** The authorization matrix through a real server and HTTP client. */
@ServerTest
class AuthorizationMatrixIT extends AbstractAuthorizationMatrixTest {

    AuthorizationMatrixIT(final Http1Client client) {
        super(client);
    }
}
