package dev.vigil.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A tiny loopback HTTP server for the smoke test: fixed pages plus classpath files under {@code vigil-app/}. */
final class StaticSite implements AutoCloseable {

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final HttpServer server;

    private StaticSite(final HttpServer server) {
        this.server = server;
    }

    /** Serves {@code pages} (path to HTML) and the classpath's {@code vigil-app/} under {@code /app/}. */
    static StaticSite start(final Map<String, String> pages) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            final String path = exchange.getRequestURI().getPath();
            byte[] body = null;
            if (pages.containsKey(path)) {
                body = pages.get(path).getBytes(StandardCharsets.UTF_8);
            } else if (path.startsWith("/app/") && !path.contains("..")) {
                try (InputStream in = StaticSite.class.getClassLoader().getResourceAsStream("vigil-app/" + path.substring(5))) {
                    body = in == null ? null : in.readAllBytes();
                }
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            final String ext = path.endsWith("/") ? "html" : path.substring(path.lastIndexOf('.') + 1);
            exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "text/html; charset=utf-8"));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new StaticSite(server);
    }

    String url(final String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
