package dev.vigil.bridge.http;

import dev.vigil.bridge.config.RelaySettings;
import dev.vigil.bridge.config.RobotSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fills the viewer URL templates ({@code {path}}, {@code {id}}) of a robot's own relay, or the
 * top-level {@code viewer-urls} when its relay is not configured.
 */
public final class ViewerUrls {

    private final Map<String, RelaySettings> relays;
    private final Map<String, String> fallback;

    /** Creates the filler for one set of templates by kind (every robot on one relay). */
    public ViewerUrls(final Map<String, String> templates) {
        this(Map.of(), templates);
    }

    /** Creates the filler for {@code relays} by name, with {@code fallback} templates by kind. */
    public ViewerUrls(final Map<String, RelaySettings> relays, final Map<String, String> fallback) {
        this.relays = Map.copyOf(relays);
        this.fallback = Map.copyOf(fallback);
    }

    /** The URLs of {@code robot}, by kind, in a stable order. */
    public Map<String, String> of(final RobotSettings robot) {
        final RelaySettings relay = robot.relay() == null ? null : relays.get(robot.relay());
        final Map<String, String> templates = relay == null ? fallback : relay.viewerUrls();
        final Map<String, String> urls = new LinkedHashMap<>();
        for (final String kind : new String[] {"rtsp", "hls", "webrtc", "rtmp"}) {
            final String template = templates.get(kind);
            if (template != null && !template.isEmpty()) {
                urls.put(kind, template.replace("{path}", robot.relayPath()).replace("{id}", robot.id()));
            }
        }
        return urls;
    }
}
