package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real HAProxy (Debian's {@code haproxy}) on 127.0.0.1 and a free port, balancing HTTP round-robin
 * over backends on loopback ports, as a load balancer in front of several bridges does. Each
 * backend is checked every 500 ms with {@code GET <healthPath>} and taken out after two failed
 * checks (a refused connection fails at once, a slow answer after 3 s); a request whose backend refuses the connection, or drops it unanswered, is sent to another
 * one ({@code option redispatch}, {@code retry-on all-retryable-errors}), so a killed backend costs no
 * request. Logs one line per request.
 */
public final class Haproxy implements AutoCloseable {

    private final int port;
    private final ServerProcess server;

    private Haproxy(final Path dir, final int port) {
        this.port = port;
        this.server = new ServerProcess("haproxy", List.of("haproxy", "-db", "-f", dir.resolve("haproxy.cfg").toString()),
                dir, List.of(port), () -> "");
    }

    /** Starts it in front of {@code backendPorts}, checking each with {@code GET healthPath}. */
    public static Haproxy start(final List<Integer> backendPorts, final String healthPath) {
        try {
            final Path dir = Files.createTempDirectory("vigil-haproxy");
            final int port = Ports.free();
            final StringBuilder cfg = new StringBuilder("""
                    global
                        log stdout format raw local0 info
                        maxconn 4096
                    defaults
                        mode http
                        log global
                        option httplog
                        # X-Forwarded-For: the client's address, for bridges that trust this proxy (server.trusted-proxies).
                        option forwardfor
                        timeout connect 1s
                        timeout client 120s
                        timeout server 120s
                        timeout tunnel 1h
                        retries 3
                        option redispatch 1
                        # A request that a dying backend dropped (502, reset) goes to another one.
                        retry-on all-retryable-errors
                    frontend vigil
                        bind 127.0.0.1:%d
                        default_backend bridges
                    backend bridges
                        balance roundrobin
                        option httpchk
                        http-check send meth GET uri %s ver HTTP/1.1 hdr Host localhost
                        # A refused connection fails a check at once; a slow answer (a loaded machine) only after 3 s.
                        timeout check 3s
                        default-server check inter 500ms fall 2 rise 1
                    """.formatted(port, healthPath));
            for (int i = 0; i < backendPorts.size(); i++) {
                cfg.append("    server b").append(i + 1).append(" 127.0.0.1:").append(backendPorts.get(i)).append('\n');
            }
            Files.writeString(dir.resolve("haproxy.cfg"), cfg, StandardCharsets.UTF_8);
            final Haproxy haproxy = new Haproxy(dir, port);
            haproxy.server.start();
            return haproxy;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The port clients use. */
    public int port() {
        return port;
    }

    /** Every line it printed: one per request ({@code ... bridges/b1 ...}) and backend state changes. */
    public List<String> log() {
        return server.lines();
    }

    @Override
    public void close() {
        server.close();
    }
}
