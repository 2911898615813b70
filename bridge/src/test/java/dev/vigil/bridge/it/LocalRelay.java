package dev.vigil.bridge.it;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx with libnginx-mod-rtmp on free loopback ports whose {@code live} application asks
 * the bridge at {@code callbacks} (on_publish, on_play, on_publish_done, on_play_done), for the
 * bridge's ITs until they move to the testkit's {@code RtmpRelay}.
 */
final class LocalRelay implements AutoCloseable {

    private static final String MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

    private final Process process;
    private final int rtmpPort;
    private final int httpPort;

    private LocalRelay(final Process process, final int rtmpPort, final int httpPort) {
        this.process = process;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
    }

    static LocalRelay start(final String callbacks) throws IOException, InterruptedException {
        final Path dir = Files.createTempDirectory("vigil-bridge-nginx");
        Files.createDirectories(dir.resolve("logs"));
        final int rtmp = LocalBroker.freePort();
        final int http = LocalBroker.freePort();
        final String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log info;
                load_module %2$s;
                events { worker_connections 64; }
                rtmp {
                    server {
                        listen 127.0.0.1:%3$d;
                        application live {
                            live on;
                            on_publish %5$s/relay/nginx/on_publish;
                            on_play %5$s/relay/nginx/on_play;
                            on_publish_done %5$s/relay/nginx/on_publish_done;
                            on_play_done %5$s/relay/nginx/on_play_done;
                        }
                    }
                }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%4$d;
                        location /stat { rtmp_stat all; }
                    }
                }
                """.formatted(dir, MODULE, rtmp, http, callbacks);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        final Process process = new ProcessBuilder("nginx", "-p", dir.toString(), "-e", dir.resolve("logs/error.log").toString(),
                "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        final LocalRelay relay = new LocalRelay(process, rtmp, http);
        final Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket("127.0.0.1", rtmp)) {
                return relay;
            } catch (final IOException e) {
                Thread.sleep(50);
            }
        }
        relay.close();
        throw new IOException("nginx did not listen: " + Files.readString(dir.resolve("logs/error.log")));
    }

    String rtmpUrl(final String stream) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/live/" + stream;
    }

    /** The rtmp_stat XML. */
    String stat() throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/stat")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** Whether {@code stream} has a publisher, per the stat page. */
    boolean publishing(final String stream) throws IOException, InterruptedException {
        final String stat = stat();
        final int at = stat.indexOf("<name>" + stream + "</name>");
        if (at < 0) {
            return false;
        }
        final int end = stat.indexOf("</stream>", at);
        return stat.substring(at, end < 0 ? stat.length() : end).contains("<publishing/>");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
