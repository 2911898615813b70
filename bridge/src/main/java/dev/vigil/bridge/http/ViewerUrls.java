package dev.vigil.bridge.http;

import dev.vigil.bridge.config.RobotSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fills the configured viewer URL templates ({@code {path}}, {@code {id}}) for a robot. */
public final class ViewerUrls {

    private final Map<String, String> templates;

    /** Creates the filler for {@code templates} by kind. */
    public ViewerUrls(final Map<String, String> templates) {
        this.templates = Map.copyOf(templates);
    }

    /** The URLs of {@code robot}, by kind, in a stable order. */
    public Map<String, String> of(final RobotSettings robot) {
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
