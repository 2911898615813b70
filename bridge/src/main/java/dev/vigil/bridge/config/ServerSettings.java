package dev.vigil.bridge.config;

/**
 * Where the HTTP server listens.
 *
 * @param host           listen address
 * @param port           listen port (0 picks a free one)
 * @param maxPayloadSize larger request bodies get 413
 * @param accessLog      whether each request is logged
 * @param tls            HTTPS key and certificate chain, or null for plain HTTP
 */
public record ServerSettings(String host, int port, long maxPayloadSize, boolean accessLog, ServerTls tls) {
}
