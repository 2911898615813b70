package dev.vigil.bridge.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.bridge.config.RelayApiSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disconnects a path's clients through MediaMTX's control API (1.20): {@code GET /v3/paths/get/<path>}
 * names its readers and source by type and id, and {@code POST /v3/<kind>/kick/<id>} ends each one
 * (RTSP and RTSPS sessions, RTMP and RTMPS connections, WebRTC, HLS, SRT and MoQ sessions).
 * MediaMTX asks the bridge's {@code /relay/auth} about these requests (action {@code api}).
 */
public final class MediaMtxKicker implements RelayKicker {

    private static final Logger LOG = LoggerFactory.getLogger(MediaMtxKicker.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** MediaMTX's reader and source types, and the API collection that kicks each. */
    private static final Map<String, String> KICKABLE = Map.of(
            "rtspSession", "rtspsessions", "rtspsSession", "rtspssessions", "rtmpConn", "rtmpconns",
            "rtmpsConn", "rtmpsconns", "webRTCSession", "webrtcsessions", "hlsSession", "hlssessions",
            "srtConn", "srtconns", "moqSession", "moqsessions");

    private final String base;
    private final String authorization;
    private final ObjectMapper mapper;
    private final HttpClient http;
    private final java.util.concurrent.ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    /** Creates the kicker for the API in {@code settings}. */
    public MediaMtxKicker(final RelayApiSettings settings, final ObjectMapper mapper) {
        this.base = settings.url().replaceAll("/+$", "");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (settings.user() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).executor(workers).build();
    }

    @Override
    public CompletableFuture<Integer> kick(final String path, final boolean publisherToo) {
        return CompletableFuture.supplyAsync(() -> kickNow(path, publisherToo), workers);
    }

    private int kickNow(final String path, final boolean publisherToo) {
        final JsonNode described;
        try {
            final HttpResponse<String> answer = http.send(request("/v3/paths/get/" + encodePath(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 404) {
                return 0;
            }
            if (answer.statusCode() != 200) {
                LOG.warn("Relay API: cannot list the clients of '{}': HTTP {}", path, answer.statusCode());
                return 0;
            }
            described = mapper.readTree(answer.body());
        } catch (final IOException e) {
            LOG.warn("Relay API at {} unreachable, '{}' keeps its clients: {}", base, path, e.getMessage());
            return 0;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        final List<JsonNode> clients = new ArrayList<>();
        described.path("readers").forEach(clients::add);
        if (publisherToo && described.path("source").isObject()) {
            clients.add(described.path("source"));
        }
        int kicked = 0;
        for (final JsonNode client : clients) {
            final String collection = KICKABLE.get(client.path("type").asText());
            final String id = client.path("id").asText("");
            if (collection == null || id.isEmpty()) {
                continue;
            }
            kicked += kickOne(path, collection, id) ? 1 : 0;
        }
        return kicked;
    }

    private boolean kickOne(final String path, final String collection, final String id) {
        try {
            final HttpResponse<Void> answer = http.send(request("/v3/" + collection + "/kick/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            // 404: it went away by itself in the meantime.
            if (answer.statusCode() != 200 && answer.statusCode() != 404) {
                LOG.warn("Relay API: kicking a client of '{}' ({}) answered HTTP {}", path, collection, answer.statusCode());
            }
            return answer.statusCode() == 200;
        } catch (final IOException e) {
            LOG.warn("Relay API: kicking a client of '{}' failed: {}", path, e.getMessage());
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest.Builder request(final String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(TIMEOUT)
                .header("Authorization", authorization);
    }

    private static String encodePath(final String path) {
        final StringBuilder out = new StringBuilder();
        for (final String level : path.split("/")) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(URLEncoder.encode(level, StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}
