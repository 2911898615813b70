package dev.vigil.bridge.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.0-capable listener for nginx-rtmp's notify callbacks: nginx-rtmp speaks HTTP/1.0,
 * which Helidon 4's server refuses (505). Serves {@code POST /relay/nginx/<event>} with the same
 * rules as the main API.
 */
public final class NginxCallbackListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NginxCallbackListener.class);
    private static final String PREFIX = "/relay/nginx/";
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private NginxCallbackListener(final HttpServer server) {
        this.server = server;
    }

    /** Starts listening on {@code host:port} (0 picks a free port). */
    public static NginxCallbackListener start(final String host, final int port, final NginxCallbacks callbacks,
                                              final Set<String> callers) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        final NginxCallbackListener listener = new NginxCallbackListener(server);
        server.setExecutor(listener.executor);
        server.createContext(PREFIX, exchange -> listener.serve(exchange, callbacks, callers));
        server.start();
        LOG.info("nginx-rtmp callbacks (HTTP/1.0) on http://{}:{}{}*", host, server.getAddress().getPort(), PREFIX);
        return listener;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(final HttpExchange exchange, final NginxCallbacks callbacks, final Set<String> callers)
            throws IOException {
        try (exchange) {
            final String caller = exchange.getRemoteAddress().getAddress().getHostAddress();
            if (!callers.contains(caller)) {
                reply(exchange, 403);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405);
                return;
            }
            final byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                reply(exchange, 413);
                return;
            }
            final String event = exchange.getRequestURI().getPath().substring(PREFIX.length());
            final RelayDecision decision = callbacks.handle(event, Forms.decode(new String(body, StandardCharsets.UTF_8)));
            reply(exchange, decision == null ? 404 : decision.allowed() ? 204 : 401);
        } catch (final RuntimeException e) {
            LOG.warn("nginx callback failed: {}", e.toString());
            reply(exchange, 400);
        }
    }

    private static void reply(final HttpExchange exchange, final int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
