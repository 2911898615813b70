package dev.vigil.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A clip that the bridge lists, fetched through it as a viewer would and read by gst-discoverer-1.0. */
final class RecordedClip {

    private RecordedClip() {
    }

    /**
     * Downloads {@code clip} (an item of {@code GET /robots/{id}/clips}) with {@code auth}, checks that it is
     * served as {@code video/mp4} and that gst-discoverer-1.0 reads an H.264 MP4 in it, and returns what
     * gst-discoverer-1.0 printed.
     */
    static String fetchAndDiscover(final BridgeProcess bridge, final JsonNode clip, final String auth) throws Exception {
        final Path mp4 = Files.createTempFile("vigil-clip", ".mp4");
        try {
            try (HttpClient http = HttpClient.newHttpClient()) {
                final HttpResponse<Path> got = http.send(HttpRequest.newBuilder(URI.create(bridge.base() + clip.path("url").asText()))
                        .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofFile(mp4));
                assertEquals(200, got.statusCode(), "the clip " + clip);
                assertEquals("video/mp4", got.headers().firstValue("Content-Type").orElse(""));
            }
            final Process discoverer = new ProcessBuilder("gst-discoverer-1.0", mp4.toString()).redirectErrorStream(true).start();
            final String out = new String(discoverer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(discoverer.waitFor(30, TimeUnit.SECONDS), "gst-discoverer-1.0 did not finish");
            assertTrue(out.contains("video #") && out.contains("H.264"), "not an H.264 MP4:\n" + out);
            return out;
        } finally {
            Files.deleteIfExists(mp4);
        }
    }
}
