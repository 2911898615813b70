package dev.vigil.bridge;

import com.typesafe.config.ConfigFactory;
import dev.vigil.bridge.auth.SecretHash;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.common.config.ConfigProblemsException;
import dev.vigil.bridge.config.SettingsLoader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Bridge settings for tests: two robots, a viewer, an operator and tokens for both. */
public final class TestConfigs {

    public static final String VIEWER = "vera";
    public static final String VIEWER_PASSWORD = "viewer-pw-Secret1";
    public static final String OPERATOR = "otto";
    public static final String OPERATOR_PASSWORD = "operator-pw-Secret2";
    public static final String VIEWER_TOKEN = "viewer-token-0123456789abcdef";
    public static final String OPERATOR_TOKEN = "operator-token-0123456789abcdef";
    public static final String ROBOT_USER = "robotuser";
    public static final String ROBOT_PASSWORD = "robot-pw-Secret3";
    public static final String ROBOT_SECRET = "robot-hmac-Secret4";
    public static final String R2_PASSWORD = "r2-pw-Secret5";

    private TestConfigs() {
    }

    /** {@code Authorization: Basic ...} for {@code user} and {@code password}. */
    public static String basic(final String user, final String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The HOCON of the test settings, with {@code extra} appended (it wins). */
    public static String hocon(final String extra) {
        return """
                vigil.bridge {
                  server { host = "127.0.0.1", port = 0 }
                  mqtt { broker = "127.0.0.1", port = 1883, publish-timeout = 1s }
                  robots {
                    default { base-topic = "robot/stream", relay-path = "live/stream",
                              publish-user = "%s", publish-password-hash = "%s", publish-secret = "%s" }
                    r2 { publish-user = "r2", publish-password-hash = "%s" }
                  }
                  viewer-urls { rtmp = "rtmp://relay.test/{path}", hls = "http://relay.test/hls/{id}.m3u8" }
                  auth {
                    users {
                      %s { password-hash = "%s", role = viewer }
                      %s { password-hash = "%s", role = operator }
                    }
                    tokens {
                      viewer-app { hash = "%s", role = viewer }
                      ops { hash = "%s", role = operator }
                    }
                    # Many tests share one bridge: no back-off unless a test asks for one.
                    throttle { account-free-failures = 1000, address-free-failures = 1000 }
                  }
                  views { ttl = 2s, agent-lease-margin = 1s, renew-every = 500ms, linger = 300ms, sweep-every = 100ms }
                  events.heartbeat = 1s
                  # A registry of its own for every bridge a test makes.
                  database.sqlite-file = "%s"
                  # DirectClient (no socket) reports its peer as "localhost".
                  relay.allowed-callers = ["127.0.0.1", "localhost"]
                }
                """.formatted(ROBOT_USER, SecretHash.pbkdf2(ROBOT_PASSWORD.toCharArray(), 1000), ROBOT_SECRET,
                SecretHash.pbkdf2(R2_PASSWORD.toCharArray(), 1000),
                VIEWER, SecretHash.pbkdf2(VIEWER_PASSWORD.toCharArray(), 1000),
                OPERATOR, SecretHash.pbkdf2(OPERATOR_PASSWORD.toCharArray(), 1000),
                SecretHash.sha256(VIEWER_TOKEN), SecretHash.sha256(OPERATOR_TOKEN), freshDatabase()) + extra;
    }

    /** A path for a new SQLite registry, in a folder of its own that the JVM deletes on exit. */
    public static String freshDatabase() {
        try {
            final java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("vigil-registry");
            dir.toFile().deleteOnExit();
            return dir.resolve("registry.db").toString();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Lifts every hold of {@code bridge}'s robots and ends their views: a test starts from idle robots. */
    static void idle(final Bridge bridge) throws Exception {
        for (final var robot : bridge.settings().robots().values()) {
            bridge.control().enableCamera(robot, null);
            bridge.leases().revokeAll(robot.id());
        }
    }

    /** The test settings with {@code extra} HOCON on top. */
    public static BridgeSettings settings(final String extra) {
        try {
            return SettingsLoader.from(ConfigFactory.parseString(hocon(extra)));
        } catch (final ConfigProblemsException e) {
            throw new IllegalStateException(e);
        }
    }
}
