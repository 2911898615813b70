package dev.vigil.common.mqtt;

import dev.vigil.common.config.ConfigReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the broker keys both jars share, under a module's {@code mqtt} object:
 * {@code <host key>, port, user, password, tls { enabled, ca-file }, reconnect-initial-delay,
 * reconnect-max-delay}; reference.conf holds their defaults.
 */
public final class BrokerSettingsReader {

    private BrokerSettingsReader() {
    }

    /**
     * @param hostKey  the key of the host under {@code mqtt} ({@code host} for the agent, {@code broker} for the bridge)
     * @param clientId the client id the module chose
     * @return the settings, or {@code null} when a key has a problem (recorded in {@code reader})
     */
    public static BrokerSettings read(final ConfigReader reader, final String hostKey, final String clientId) {
        final String host = reader.nonBlank("mqtt." + hostKey);
        final Integer port = reader.port("mqtt.port", false);
        final String user = reader.string("mqtt.user");
        final String password = reader.string("mqtt.password");
        final BrokerTls tls = tls(reader);
        final Duration initial = reader.positive("mqtt.reconnect-initial-delay");
        final Duration max = reader.positive("mqtt.reconnect-max-delay");
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            reader.problem("mqtt.reconnect-max-delay", "must not be shorter than mqtt.reconnect-initial-delay");
        }
        if (ConfigReader.anyNull(host, port, user, password, tls, initial, max)) {
            return null;
        }
        return new BrokerSettings(host, port, user, password, tls, clientId, initial, max);
    }

    private static BrokerTls tls(final ConfigReader reader) {
        final Boolean enabled = reader.bool("mqtt.tls.enabled");
        final String caFile = reader.string("mqtt.tls.ca-file");
        if (enabled == null || caFile == null) {
            return null;
        }
        if (caFile.isBlank()) {
            return new BrokerTls(enabled, null);
        }
        try {
            CaFile.read(Path.of(caFile));
        } catch (final IOException e) {
            reader.problem("mqtt.tls.ca-file", e.getMessage());
            return null;
        }
        return new BrokerTls(enabled, Path.of(caFile));
    }
}
