package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real MediaMTX (the relay that deployments run) on 127.0.0.1 and free ports: RTSP (TCP, and UDP
 * RTP/RTCP), RTMP, HLS, WebRTC (WHEP over HTTP, ICE over one local UDP port), SRT, and the control
 * API. Auth is either open (anyone on loopback may publish and read) or {@code authMethod: http}
 * pointed at a bridge's {@code /relay/auth}. Paths can run {@code runOnDemand} and
 * {@code runOnAvailable}/{@code runOnUnavailable} hooks. Recording to a folder of its own and the
 * playback server ({@code /list}, {@code /get}) are on when asked. {@link #stop()} and
 * {@link #restart()} keep every port.
 *
 * <p>The binary is {@code $VIGIL_MEDIAMTX}, else {@code ../shared/tools/mediamtx/mediamtx} beside the
 * repository root.
 */
public final class MediaMtx implements AutoCloseable {

    /** The environment variable that names the MediaMTX binary. */
    public static final String BINARY_ENV = "VIGIL_MEDIAMTX";

    private static final String HOST = MediaMtxConfig.HOST;
    private static final Pattern ITEM = Pattern.compile("\\{\"name\":\"([^\"]+)\"");
    private static final Pattern READY = Pattern.compile("\"ready\":true");
    private static final Pattern READER = Pattern.compile("\"readers\":\\[(.*?)\\]");
    /** Relative to MediaMTX's working folder, which is the relay's own temp folder. */
    private static final String RECORD_PATH = "./recordings/%path/%Y-%m-%d_%H-%M-%S-%f";

    private final Path dir;
    private final MediaMtxConfig.PortSet ports;
    private final Optional<String> apiAuthorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServerProcess server;

    private MediaMtx(final Path dir, final MediaMtxConfig.PortSet ports, final Optional<String> apiAuthorization,
                     final Map<String, String> env, final boolean playback) {
        this.dir = dir;
        this.ports = ports;
        this.apiAuthorization = apiAuthorization;
        final List<Integer> tcp = new ArrayList<>(List.of(ports.rtsp(), ports.rtmp(), ports.hls(), ports.webrtc(), ports.api()));
        if (playback) {
            tcp.add(ports.playback());
        }
        this.server = new ServerProcess("mediamtx", List.of(binary().toString(), dir.resolve("mediamtx.yml").toString()),
                dir, tcp, () -> "", env);
    }

    /** An open relay: anyone on loopback may publish, read and use the API. */
    public static MediaMtx start() {
        return builder().start();
    }

    /** A builder for auth, hooks and extra settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The binary: {@code $VIGIL_MEDIAMTX}, else {@code ../shared/tools/mediamtx/mediamtx} beside the repository root. */
    public static Path binary() {
        final String named = System.getenv(BINARY_ENV);
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        final Path shared = Java.repoRoot().resolve("../shared/tools/mediamtx/mediamtx").normalize();
        if (Files.isExecutable(shared)) {
            return shared;
        }
        throw new IllegalStateException("no MediaMTX binary: set " + BINARY_ENV + " to one, or run scripts/install-deps.sh");
    }

    /** 127.0.0.1. */
    public String host() {
        return HOST;
    }

    /** {@code 127.0.0.1:<rtmpPort>}, the form of the agent's {@code MEDIA_SERVER}. */
    public String hostAndPort() {
        return HOST + ":" + ports.rtmp();
    }

    public int rtspPort() {
        return ports.rtsp();
    }

    public int rtmpPort() {
        return ports.rtmp();
    }

    public int hlsPort() {
        return ports.hls();
    }

    /** The WebRTC HTTP port (WHEP, WHIP and the player page). */
    public int webrtcPort() {
        return ports.webrtc();
    }

    /** The WebRTC ICE UDP port. */
    public int webrtcUdpPort() {
        return ports.webrtcUdp();
    }

    /** The SRT port (UDP). */
    public int srtPort() {
        return ports.srt();
    }

    public int apiPort() {
        return ports.api();
    }

    /** The playback server's base, {@code http://127.0.0.1:<port>} (serving only after {@link Builder#playback()}). */
    public String playbackUrl() {
        return "http://" + HOST + ":" + ports.playback();
    }

    /** Where {@link Builder#recording} makes MediaMTX write: {@code <this relay's folder>/recordings/<path>/...}. */
    public Path recordings() {
        return dir.resolve("recordings");
    }

    /** {@code rtmp://127.0.0.1:<port>/<path>}; credentials go in the query ({@code ?user=..&pass=..}). */
    public String rtmpUrl(final String path) {
        return "rtmp://" + HOST + ":" + ports.rtmp() + "/" + path;
    }

    /** {@code rtsp://127.0.0.1:<port>/<path>}. */
    public String rtspUrl(final String path) {
        return "rtsp://" + HOST + ":" + ports.rtsp() + "/" + path;
    }

    /** {@code rtsp://user:pass@127.0.0.1:<port>/<path>}, as a phone app sends them. */
    public String rtspUrl(final String path, final String user, final String pass) {
        return "rtsp://" + encode(user) + ":" + encode(pass) + "@" + HOST + ":" + ports.rtsp() + "/" + path;
    }

    /** An SRT URL to read {@code path} without credentials: {@code srt://127.0.0.1:<port>?streamid=read:<path>}. */
    public String srtUrl(final String path) {
        return "srt://" + HOST + ":" + ports.srt() + "?streamid=read:" + path;
    }

    /** An SRT URL with a {@code streamid} of {@code <action>:<path>:<user>:<pass>} ({@code action} is publish or read). */
    public String srtUrl(final String action, final String path, final String user, final String pass) {
        return "srt://" + HOST + ":" + ports.srt() + "?streamid=" + action + ":" + path + ":" + user + ":" + pass;
    }

    /** The HLS playlist: {@code http://127.0.0.1:<hlsPort>/<path>/index.m3u8}. */
    public String hlsUrl(final String path) {
        return "http://" + HOST + ":" + ports.hls() + "/" + path + "/index.m3u8";
    }

    /** The WHEP endpoint: {@code http://127.0.0.1:<webrtcPort>/<path>/whep}. */
    public String whepUrl(final String path) {
        return "http://" + HOST + ":" + ports.webrtc() + "/" + path + "/whep";
    }

    /** The control API's base: {@code http://127.0.0.1:<apiPort>}. */
    public String apiUrl() {
        return "http://" + HOST + ":" + ports.api();
    }

    /** True when {@code path} has a publisher and MediaMTX serves it to readers ({@code /v3/paths/get}). */
    public boolean ready(final String path) {
        return api("/v3/paths/get/" + path).map(body -> READY.matcher(body).find()).orElse(false);
    }

    /** Names of the paths that are ready now ({@code /v3/paths/list}). */
    public Set<String> publishers() {
        final Set<String> names = new LinkedHashSet<>();
        final String body = api("/v3/paths/list").orElse("");
        final List<Integer> starts = new ArrayList<>();
        final Matcher items = ITEM.matcher(body);
        final List<String> found = new ArrayList<>();
        while (items.find()) {
            starts.add(items.start());
            found.add(items.group(1));
        }
        for (int i = 0; i < found.size(); i++) {
            final String item = body.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : body.length());
            if (READY.matcher(item).find()) {
                names.add(found.get(i));
            }
        }
        return names;
    }

    /** How many readers {@code path} has now, 0 when it does not exist. */
    public int readers(final String path) {
        final Matcher readers = READER.matcher(api("/v3/paths/get/" + path).orElse(""));
        if (!readers.find() || readers.group(1).isBlank()) {
            return 0;
        }
        return readers.group(1).split("\\},\\{").length;
    }

    /** The API's answer to GET {@code pathAndQuery} when it is 200, else empty (also while MediaMTX is down). */
    public Optional<String> api(final String pathAndQuery) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(2));
        apiAuthorization.ifPresent(value -> request.header("Authorization", value));
        try {
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (final IOException e) {
            return Optional.empty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Every line MediaMTX printed since it was last started. */
    public List<String> log() {
        return server.lines();
    }

    /** The configuration file it runs with (in a temp folder that {@link #close()} removes). */
    public Path configFile() {
        return dir.resolve("mediamtx.yml");
    }

    /** The configuration it runs with. */
    public String config() {
        try {
            return Files.readString(configFile(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True while MediaMTX runs. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Stops MediaMTX; the ports stay reserved for {@link #restart()}. */
    public void stop() {
        server.stop();
    }

    /** Starts MediaMTX again on the same ports with the same configuration. */
    public void restart() {
        server.restart();
    }

    @Override
    public void close() {
        server.close();
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Auth, hooks and settings for a relay. */
    public static final class Builder {

        private String authUrl;
        private final List<String> authExclude = new ArrayList<>();
        private String apiAuthorization;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, String> pathDefaults = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> paths = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * {@code authMethod: http}: MediaMTX asks {@code url} (a bridge's {@code /relay/auth}) about
         * every publish, read and, unless {@link #httpAuthExclude excluded}, api/metrics/pprof request.
         */
        public Builder httpAuth(final String url) {
            this.authUrl = url;
            return this;
        }

        /** An action ({@code api}, {@code metrics}, {@code pprof}, ...) that MediaMTX allows without asking the auth URL. */
        public Builder httpAuthExclude(final String action) {
            authExclude.add(action);
            return this;
        }

        /** Basic credentials that {@link #ready}, {@link #publishers()} and {@link #api} send (for http auth). */
        public Builder apiCredentials(final String user, final String pass) {
            this.apiAuthorization = "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /**
         * A reader of {@code path} runs {@code command} (split like a shell would, no shell) until
         * {@code closeAfter} after the last reader left; MediaMTX holds readers up to
         * {@code startTimeout} for the publisher.
         */
        public Builder onDemand(final String path, final String command, final Duration startTimeout, final Duration closeAfter) {
            final Map<String, String> p = path(path);
            p.put("runOnDemand", quote(command));
            p.put("runOnDemandRestart", "yes");
            p.put("runOnDemandStartTimeout", seconds(startTimeout));
            p.put("runOnDemandCloseAfter", seconds(closeAfter));
            return this;
        }

        /** {@code runOnAvailable}: {@code command} runs when {@code path} becomes ready ({@code MTX_PATH} and more in its environment). */
        public Builder onAvailable(final String path, final String command) {
            path(path).put("runOnAvailable", quote(command));
            return this;
        }

        /** {@code runOnUnavailable}: {@code command} runs when {@code path} stops being ready. */
        public Builder onUnavailable(final String path, final String command) {
            path(path).put("runOnUnavailable", quote(command));
            return this;
        }

        /** Any other path setting, as a YAML value ({@code "yes"}, {@code "5s"}, {@code "'text'"}). */
        public Builder pathSetting(final String path, final String key, final String yamlValue) {
            path(path).put(key, yamlValue);
            return this;
        }

        /**
         * Recording settings for every path (pathDefaults): segments go to {@link MediaMtx#recordings()}
         * and are deleted {@code deleteAfter} after they end. Nothing is recorded until a path's
         * {@code record} is switched on (the control API's {@code PATCH /v3/config/paths/patch/<name>}).
         */
        public Builder recording(final Duration deleteAfter) {
            pathDefaults.put("record", "no");
            pathDefaults.put("recordPath", RECORD_PATH);
            pathDefaults.put("recordFormat", "fmp4");
            pathDefaults.put("recordPartDuration", "1s");
            // MediaMTX refuses a retention shorter than the (minimum) segment length, 1 h by default.
            pathDefaults.put("recordSegmentDuration", seconds(deleteAfter.compareTo(Duration.ofHours(1)) < 0 ? deleteAfter
                    : Duration.ofHours(1)));
            pathDefaults.put("recordDeleteAfter", seconds(deleteAfter));
            return this;
        }

        /** The playback server ({@code /list}, {@code /get}) on its own port: {@link MediaMtx#playbackUrl()}. */
        public Builder playback() {
            settings.put("playback", "yes");
            return this;
        }

        /** Any setting of every path (pathDefaults), as a YAML value. */
        public Builder pathDefault(final String key, final String yamlValue) {
            pathDefaults.put(key, yamlValue);
            return this;
        }

        /** Any other global setting, as a YAML value; it replaces the kit's own for the same key. */
        public Builder setting(final String key, final String yamlValue) {
            settings.put(key, yamlValue);
            return this;
        }

        /** An environment variable for MediaMTX and so for its hooks. */
        public Builder env(final String name, final String value) {
            env.put(name, value);
            return this;
        }

        /** Writes the configuration and starts MediaMTX; it returns once every TCP port accepts connections. */
        public MediaMtx start() {
            try {
                final Path dir = Files.createTempDirectory("vigil-mediamtx");
                final MediaMtxConfig.PortSet ports = MediaMtxConfig.PortSet.free();
                Files.writeString(dir.resolve("mediamtx.yml"),
                        MediaMtxConfig.yaml(ports, authUrl, authExclude, settings, pathDefaults, paths), StandardCharsets.UTF_8);
                final MediaMtx relay = new MediaMtx(dir, ports, Optional.ofNullable(apiAuthorization), env,
                        "yes".equals(settings.get("playback")));
                relay.server.start();
                return relay;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Map<String, String> path(final String name) {
            return paths.computeIfAbsent(name, n -> new LinkedHashMap<>());
        }

        private static String seconds(final Duration duration) {
            return duration.toMillis() + "ms";
        }

        private static String quote(final String text) {
            return MediaMtxConfig.quote(text);
        }
    }
}
