package dev.vigil.bridge.config;

import java.util.List;

/**
 * Where the HTTP server listens.
 *
 * @param host           listen address
 * @param port           listen port (0 picks a free one)
 * @param maxPayloadSize larger request bodies get 413
 * @param accessLog      whether each request is logged
 * @param tls            HTTPS key and certificate chain, or null for plain HTTP
 * @param trustedProxies reverse proxies whose {@code X-Forwarded-For} names the client (addresses or
 *                       CIDR ranges, checked at load); empty: the connection's peer is the client
 */
public record ServerSettings(String host, int port, long maxPayloadSize, boolean accessLog, ServerTls tls,
                             List<String> trustedProxies) {

    /** Copies the list. */
    public ServerSettings {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
