package dev.vigil.common.mqtt;

import java.nio.file.Path;

/**
 * TLS to the broker. The broker's host name is always checked against its certificate.
 *
 * @param enabled whether to connect over TLS
 * @param caFile  a PEM bundle of the CA certificates to trust, or {@code null} for the JVM's trust store
 */
public record BrokerTls(boolean enabled, Path caFile) {

    /** No TLS. */
    public static final BrokerTls OFF = new BrokerTls(false, null);

    /** What the certificate must be trusted by, for messages. */
    public String trustedBy() {
        return caFile == null ? "the JVM's trust store" : "CA file " + caFile;
    }
}
