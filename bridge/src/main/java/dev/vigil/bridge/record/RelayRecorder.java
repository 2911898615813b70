package dev.vigil.bridge.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.bridge.config.RecordingSettings;
import dev.vigil.bridge.config.RelayApiSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * MediaMTX's side of recording: the control API switches a path's {@code record} at run time
 * ({@code PATCH /v3/config/paths/patch/<path>}, which MediaMTX applies without disturbing the
 * publisher; or {@code POST .../add/<path>} for a path that only the defaults cover, which makes
 * MediaMTX reload the path and drop its publisher once, so configure each robot's path), and the
 * playback server lists the recorded spans ({@code /list}) and serves
 * them as MP4 ({@code /get ... format=mp4}). A segment that MediaMTX could not write (a full disk leaves an
 * empty file) makes {@code /list} fail for the whole path ({@code EOF}); the listing then goes around it. Where the files go and how long they stay
 * ({@code recordPath}, {@code recordDeleteAfter}) is the relay's own configuration.
 */
public final class RelayRecorder implements RelayRecording {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** The most /list windows one listing tries around unreadable segments; the rest count as unreadable. */
    private static final int MAX_PROBES = 128;

    private final String api;
    private final String playback;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String authorization;

    /** The relay's API and its credential ({@code relay.api}), and its playback server; it asks /relay/auth about both. */
    public RelayRecorder(final RelayApiSettings relayApi, final RecordingSettings settings) {
        this.api = relayApi.url() == null ? "" : relayApi.url().replaceAll("/+$", "");
        this.playback = settings.relayPlayback();
        this.authorization = relayApi.user().isEmpty() ? null : "Basic " + Base64.getEncoder().encodeToString(
                (relayApi.user() + ":" + relayApi.password()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void record(final String path, final boolean on) throws RelayRecordingException {
        final byte[] body = ("{\"record\":" + on + "}").getBytes(StandardCharsets.UTF_8);
        final HttpResponse<String> patched = send(request(api + "/v3/config/paths/patch/" + path)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build(), "the relay's API");
        if (patched.statusCode() == 200) {
            return;
        }
        if (patched.statusCode() == 404 && !on) {
            return;
        }
        if (patched.statusCode() == 404) {
            final HttpResponse<String> added = send(request(api + "/v3/config/paths/add/" + path)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), "the relay's API");
            if (added.statusCode() == 200) {
                return;
            }
            throw refused("adding path " + path, added);
        }
        throw refused("switching recording of " + path + (on ? " on" : " off"), patched);
    }

    @Override
    public ClipList clips(final String path) throws RelayRecordingException {
        final Listed whole = list(path, null, null);
        if (!whole.unreadable()) {
            return new ClipList(whole.clips(), List.of());
        }
        // A segment that MediaMTX could not write (it leaves an empty file when its disk is full) makes its
        // /list fail for the whole path. List around it: the API names every segment by its start, and /list
        // takes a window; windows that fail are halved until the unreadable segments are found.
        final List<Instant> segments = segments(path);
        final List<Clip> clips = new ArrayList<>();
        final List<Instant> unreadable = new ArrayList<>();
        final int[] probes = {MAX_PROBES};
        probe(path, segments, 0, segments.size(), clips, unreadable, probes);
        return new ClipList(clips, unreadable);
    }

    /** The clips of segments {@code [from, to)}: a window from the first's start to just before the next one's. */
    private void probe(final String path, final List<Instant> segments, final int from, final int to, final List<Clip> clips,
                       final List<Instant> unreadable, final int[] probes) throws RelayRecordingException {
        if (from >= to) {
            return;
        }
        if (probes[0]-- <= 0) {
            unreadable.addAll(segments.subList(from, to));
            return;
        }
        final Listed listed = list(path, segments.get(from), to < segments.size() ? segments.get(to).minusNanos(1000) : null);
        if (!listed.unreadable()) {
            clips.addAll(listed.clips());
        } else if (to - from == 1) {
            unreadable.add(segments.get(from));
        } else {
            final int middle = (from + to) >>> 1;
            probe(path, segments, from, middle, clips, unreadable, probes);
            probe(path, segments, middle, to, clips, unreadable, probes);
        }
    }

    /** One answer of /list: its clips, or that a segment in the window cannot be read. */
    private record Listed(List<Clip> clips, boolean unreadable) {
    }

    private Listed list(final String path, final Instant from, final Instant until) throws RelayRecordingException {
        final String window = (from == null ? "" : "&start=" + encode(from.toString()))
                + (until == null ? "" : "&end=" + encode(until.toString()));
        final HttpResponse<String> listed = send(request(playback + "/list?path=" + encode(path) + window).GET().build(),
                "the relay's playback server");
        // 404: no recordings; 400 naming a missing folder: nothing was ever recorded on this path.
        if (listed.statusCode() == 404 || listed.statusCode() == 400 && (listed.body().contains("no such file or directory")
                || listed.body().contains("no recording segments found"))) {
            return new Listed(List.of(), false);
        }
        if (listed.statusCode() != 200) {
            if (listed.body().contains("\"EOF\"")) {
                return new Listed(List.of(), true);
            }
            throw refused("listing the recordings of " + path, listed);
        }
        final List<Clip> clips = new ArrayList<>();
        try {
            for (final JsonNode item : JSON.readTree(listed.body())) {
                clips.add(new Clip(Instant.parse(item.path("start").asText()), item.path("duration").asDouble()));
            }
        } catch (final IOException | DateTimeParseException e) {
            throw new RelayRecordingException("the relay's playback server listed the recordings of " + path
                    + " in a form the bridge cannot read");
        }
        return new Listed(clips, false);
    }

    /** The starts of {@code path}'s recording segments, oldest first ({@code GET /v3/recordings/get/<path>}). */
    private List<Instant> segments(final String path) throws RelayRecordingException {
        final HttpResponse<String> got = send(request(api + "/v3/recordings/get/" + path).GET().build(), "the relay's API");
        if (got.statusCode() != 200) {
            throw refused("finding the recording segments of " + path + ", which the playback server cannot all read", got);
        }
        final List<Instant> starts = new ArrayList<>();
        try {
            for (final JsonNode segment : JSON.readTree(got.body()).path("segments")) {
                starts.add(Instant.parse(segment.path("start").asText()));
            }
        } catch (final IOException | DateTimeParseException e) {
            throw new RelayRecordingException("the relay's API listed the recording segments of " + path
                    + " in a form the bridge cannot read");
        }
        starts.sort(null);
        return starts;
    }

    @Override
    public HttpResponse<InputStream> open(final String path, final Instant start, final double seconds)
            throws RelayRecordingException {
        final String query = "path=" + encode(path) + "&start=" + encode(start.toString())
                + "&duration=" + String.format(Locale.ROOT, "%.3f", seconds) + "&format=mp4";
        final HttpRequest request = request(playback + "/get?" + query).GET().build();
        try {
            final HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                final int status = response.statusCode();
                response.body().close();
                throw new RelayRecordingException(status == 404 ? "no recording of " + path + " at " + start
                        : "the relay's playback server answered " + status + " for a clip of " + path);
            }
            return response;
        } catch (final IOException e) {
            throw unreachable("the relay's playback server", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayRecordingException("interrupted");
        }
    }

    private HttpRequest.Builder request(final String url) {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpResponse<String> send(final HttpRequest request, final String what) throws RelayRecordingException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw unreachable(what, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayRecordingException("interrupted");
        }
    }

    private static RelayRecordingException unreachable(final String what, final IOException e) {
        return new RelayRecordingException(what + " is not reachable (" + e.getClass().getSimpleName() + ")");
    }

    private static RelayRecordingException refused(final String what, final HttpResponse<String> response) {
        String error = "";
        try {
            error = JSON.readTree(response.body()).path("error").asText("");
        } catch (final IOException e) {
            // not JSON: the status says enough
        }
        final String detail = error.replaceAll("[\\p{Cntrl}]", " ");
        return new RelayRecordingException(what + ": the relay answered " + response.statusCode()
                + (detail.isBlank() ? "" : " (" + detail.substring(0, Math.min(120, detail.length())) + ")"));
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
