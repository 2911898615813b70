package dev.vigil.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** {@code @RegisterExtension static final RtmpRelayExtension RELAY = new RtmpRelayExtension();} (no callbacks, no HLS). */
public final class RtmpRelayExtension implements BeforeAllCallback, AfterAllCallback {

    private RtmpRelay relay;

    @Override
    public void beforeAll(final ExtensionContext context) {
        relay = RtmpRelay.start();
    }

    @Override
    public void afterAll(final ExtensionContext context) {
        if (relay != null) {
            relay.close();
        }
    }

    /** The running relay. */
    public RtmpRelay relay() {
        return relay;
    }
}
