package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real RTMP relay: nginx with libnginx-mod-rtmp in its own temp prefix ({@code daemon off},
 * {@code live on}), RTMP on one free loopback port and HTTP (the {@code rtmp_stat} page, and HLS
 * when asked) on another. It can ask a bridge who may publish and play through nginx-rtmp's
 * {@code on_publish}/{@code on_play} callbacks.
 *
 * <p>Only e2e still uses it, and only until it moves to {@link MediaMtx}; then delete it. The
 * bridge no longer answers nginx-rtmp's callbacks, so {@link Builder#callbacks} only refuses now.
 */
public final class RtmpRelay implements AutoCloseable {

    private static final String MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
    private static final Pattern STREAM = Pattern.compile("<stream>(.*?)</stream>", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("<name>([^<]*)</name>");
    private static final Pattern NCLIENTS = Pattern.compile("<nclients>(\\d+)</nclients>");

    private final Path prefix;
    private final int rtmpPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServerProcess server;

    private RtmpRelay(final Path prefix, final int rtmpPort, final int httpPort) {
        this.prefix = prefix;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
        this.server = new ServerProcess("nginx-rtmp", List.of("nginx", "-p", prefix.toString(),
                "-c", prefix.resolve("nginx.conf").toString(), "-g", "daemon off;"), prefix, List.of(rtmpPort, httpPort), this::errorLog);
    }

    /** A relay with no callbacks and no HLS: anyone on loopback may publish and play. */
    public static RtmpRelay start() {
        return builder().start();
    }

    /** A builder for callbacks and HLS. */
    public static Builder builder() {
        return new Builder();
    }

    /** The RTMP port. */
    public int rtmpPort() {
        return rtmpPort;
    }

    /** The HTTP port (stat page, HLS). */
    public int httpPort() {
        return httpPort;
    }

    /** {@code rtmp://127.0.0.1:<port>/live/<stream>}. */
    public String rtmpUrl(final String stream) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/live/" + stream;
    }

    /** {@code 127.0.0.1:<port>}, the form of {@code MEDIA_SERVER}. */
    public String hostAndPort() {
        return "127.0.0.1:" + rtmpPort;
    }

    /** The HLS playlist of {@code stream}: {@code http://127.0.0.1:<httpPort>/hls/<stream>.m3u8}. */
    public String hlsUrl(final String stream) {
        return "http://127.0.0.1:" + httpPort + "/hls/" + stream + ".m3u8";
    }

    /** Names of the streams that have an active publisher now, from the stat page. */
    public Set<String> publishers() {
        final Set<String> names = new LinkedHashSet<>();
        final Matcher streams = STREAM.matcher(stat());
        while (streams.find()) {
            final String body = streams.group(1);
            final Matcher name = NAME.matcher(body);
            if (body.contains("<publishing/>") && name.find()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    /** How many players read {@code stream} now (clients other than the publisher). */
    public int players(final String stream) {
        final Matcher streams = STREAM.matcher(stat());
        while (streams.find()) {
            final String body = streams.group(1);
            final Matcher name = NAME.matcher(body);
            if (name.find() && name.group(1).equals(stream)) {
                final Matcher clients = NCLIENTS.matcher(body);
                final int all = clients.find() ? Integer.parseInt(clients.group(1)) : 0;
                return body.contains("<publishing/>") ? Math.max(0, all - 1) : all;
            }
        }
        return 0;
    }

    /** The stat page's XML, or "" while the relay is down. */
    public String stat() {
        try {
            final HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/stat"))
                            .timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (final IOException e) {
            return "";
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** nginx's error log (callback denials and publisher errors show here). */
    public String errorLog() {
        try {
            final Path log = prefix.resolve("logs/error.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True while nginx runs. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Stops nginx; the ports stay reserved for {@link #restart()}. */
    public void stop() {
        server.stop();
    }

    /** Starts nginx again on the same ports. */
    public void restart() {
        server.stop();
        server.start();
    }

    @Override
    public void close() {
        stop();
        Files2.deleteTree(prefix);
    }

    /** Callbacks and HLS for a relay. */
    public static final class Builder {

        private String callbacks;
        private boolean hls;

        private Builder() {
        }

        /** nginx asks {@code <bridgeBaseUrl>/relay/nginx/on_publish|on_play|on_publish_done|on_play_done}. */
        public Builder callbacks(final String bridgeBaseUrl) {
            this.callbacks = bridgeBaseUrl.endsWith("/") ? bridgeBaseUrl.substring(0, bridgeBaseUrl.length() - 1) : bridgeBaseUrl;
            return this;
        }

        /** HLS with 1 s fragments at {@code /hls/<stream>.m3u8} on the HTTP port. */
        public Builder hls(final boolean on) {
            this.hls = on;
            return this;
        }

        /** Writes the configuration and starts nginx. */
        public RtmpRelay start() {
            try {
                final Path prefix = Files.createTempDirectory("vigil-nginx");
                for (final String sub : List.of("logs", "tmp", "hls")) {
                    Files.createDirectories(prefix.resolve(sub));
                }
                final int rtmpPort = Ports.free();
                final int httpPort = Ports.free();
                Files.writeString(prefix.resolve("nginx.conf"), config(prefix, rtmpPort, httpPort), StandardCharsets.UTF_8);
                final RtmpRelay relay = new RtmpRelay(prefix, rtmpPort, httpPort);
                relay.server.start();
                return relay;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String config(final Path prefix, final int rtmpPort, final int httpPort) {
            final StringBuilder app = new StringBuilder()
                    .append("            live on;\n            record off;\n")
                    .append("            drop_idle_publisher 5s;\n            idle_streams off;\n");
            if (callbacks != null) {
                for (final String call : List.of("on_publish", "on_play", "on_publish_done", "on_play_done")) {
                    app.append("            ").append(call).append(' ').append(callbacks).append("/relay/nginx/").append(call).append(";\n");
                }
            }
            if (hls) {
                app.append("            hls on;\n            hls_path ").append(prefix.resolve("hls")).append(";\n")
                        .append("            hls_fragment 1s;\n            hls_playlist_length 4s;\n");
            }
            final String p = prefix.toString();
            // Workers stay root when run as root: the temp prefix is private (0700) to the test's user.
            return "load_module " + MODULE + ";\n"
                    + ("root".equals(System.getProperty("user.name")) ? "user root;\n" : "")
                    + "worker_processes 1;\n"
                    + "pid " + p + "/nginx.pid;\n"
                    + "error_log " + p + "/logs/error.log info;\n"
                    + "events { worker_connections 256; }\n"
                    + "rtmp {\n    server {\n        listen 127.0.0.1:" + rtmpPort + ";\n"
                    + "        application live {\n" + app + "        }\n    }\n}\n"
                    + "http {\n    access_log " + p + "/logs/access.log;\n"
                    + "    client_body_temp_path " + p + "/tmp/body;\n    proxy_temp_path " + p + "/tmp/proxy;\n"
                    + "    fastcgi_temp_path " + p + "/tmp/fastcgi;\n    uwsgi_temp_path " + p + "/tmp/uwsgi;\n"
                    + "    scgi_temp_path " + p + "/tmp/scgi;\n"
                    + "    types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }\n"
                    + "    server {\n        listen 127.0.0.1:" + httpPort + ";\n"
                    + "        location /stat { rtmp_stat all; }\n"
                    + "        location /hls/ {\n            alias " + p + "/hls/;\n"
                    + "            add_header Cache-Control no-cache;\n"
                    + "            add_header Access-Control-Allow-Origin *;\n        }\n"
                    + "    }\n}\n";
        }
    }
}
