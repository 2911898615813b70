package dev.vigil.bridge.http;

import dev.vigil.bridge.config.RelaySettings;
import dev.vigil.bridge.config.RobotSettings;
import io.helidon.webserver.http.ServerRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fills the viewer URL templates of a robot's own relay (the top-level {@code viewer-urls} when its
 * relay names none, or is not configured): {@code {path}} (its relay path), {@code {id}} (its id) and
 * {@code {host}} (the host name the client used to reach this bridge, so that a relay beside the
 * bridge needs no host name in the config).
 */
public final class ViewerUrls {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.-]{1,253}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final String FALLBACK_HOST = "localhost";

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

    /** The URLs of {@code robot}, by kind, in a stable order, for a client that reached us as {@code host}. */
    public Map<String, String> of(final RobotSettings robot, final String host) {
        final RelaySettings relay = robot.relay() == null ? null : relays.get(robot.relay());
        final Map<String, String> templates = relay == null ? fallback : relay.viewerUrls();
        final Map<String, String> urls = new LinkedHashMap<>();
        for (final String kind : new String[] {"rtsp", "hls", "webrtc", "rtmp"}) {
            final String template = templates.get(kind);
            if (template != null && !template.isEmpty()) {
                urls.put(kind, template.replace("{path}", robot.relayPath()).replace("{id}", robot.id())
                        .replace("{host}", host));
            }
        }
        return urls;
    }

    /** The http(s) origins of every relay's HLS and WebRTC templates (what the page fetches), for {@code host}. */
    public Set<String> origins(final String host) {
        final List<Map<String, String>> all = new ArrayList<>();
        all.add(fallback);
        relays.values().forEach(relay -> all.add(relay.viewerUrls()));
        final Set<String> origins = new LinkedHashSet<>();
        for (final Map<String, String> templates : all) {
            for (final String kind : new String[] {"hls", "webrtc"}) {
                final String template = templates.get(kind);
                if (template == null || template.isEmpty()) {
                    continue;
                }
                try {
                    final URI uri = URI.create(template.replace("{host}", host).replace("{path}", "p").replace("{id}", "i"));
                    if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                        origins.add(uri.getScheme() + "://" + uri.getRawAuthority().replaceAll("^.*@", ""));
                    }
                } catch (final IllegalArgumentException e) {
                    // A template that is no URI names no origin.
                }
            }
        }
        return origins;
    }

    /** The host the client reached us under (from the Host header), or {@code localhost} if it is not a plain name or address. */
    public static String host(final ServerRequest req) {
        final String host = req.requestedUri().host();
        if (host == null) {
            return FALLBACK_HOST;
        }
        if (NAME.matcher(host).matches()) {
            return host;
        }
        final String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return V6.matcher(bare).matches() && bare.indexOf(':') >= 0 ? "[" + bare + "]" : FALLBACK_HOST;
    }
}
