package dev.vigil.testkit;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** {@code @RegisterExtension static final MosquittoExtension BROKER = new MosquittoExtension(users);} */
public final class MosquittoExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> users;
    private Mosquitto broker;

    public MosquittoExtension(final Map<String, String> usersToPasswords) {
        this.users = Map.copyOf(usersToPasswords);
    }

    @Override
    public void beforeAll(final ExtensionContext context) {
        broker = Mosquitto.start(users);
    }

    @Override
    public void afterAll(final ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
    }

    /** The running broker. */
    public Mosquitto broker() {
        return broker;
    }
}
