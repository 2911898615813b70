package dev.vigil.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code mediamtx.yml} that {@link MediaMtx} writes: every listener on loopback and its own port. */
final class MediaMtxConfig {

    static final String HOST = "127.0.0.1";

    private MediaMtxConfig() {
    }

    /** The ports of one relay; RTCP is {@code rtp + 1}, as MediaMTX requires. */
    record PortSet(int rtsp, int rtp, int rtmp, int hls, int webrtc, int webrtcUdp, int srt, int api, int playback) {

        static PortSet free() {
            return new PortSet(Ports.free(), Ports.freeUdpPair(), Ports.free(), Ports.free(), Ports.free(),
                    Ports.freeUdp(), Ports.freeUdp(), Ports.free(), Ports.free());
        }
    }

    /**
     * The configuration text. {@code authUrl} null means open auth (anyone on loopback); values in
     * {@code settings} replace the kit's own; {@code pathDefaults} are the settings of every path;
     * {@code paths} maps a path name to its settings.
     */
    static String yaml(final PortSet ports, final String authUrl, final List<String> authExclude,
                       final Map<String, String> settings, final Map<String, String> pathDefaults,
                       final Map<String, Map<String, String>> paths) {
        final Map<String, String> conf = new LinkedHashMap<>();
        conf.put("logLevel", "info");
        conf.put("logDestinations", "[stdout]");
        conf.put("api", "yes");
        conf.put("apiAddress", address(ports.api()));
        conf.put("metrics", "no");
        conf.put("pprof", "no");
        conf.put("playback", "no");
        conf.put("playbackAddress", address(ports.playback()));
        conf.put("rtsp", "yes");
        conf.put("rtspTransports", "[udp, tcp]");
        conf.put("rtspAddress", address(ports.rtsp()));
        conf.put("rtpAddress", address(ports.rtp()));
        conf.put("rtcpAddress", address(ports.rtp() + 1));
        conf.put("rtmp", "yes");
        conf.put("rtmpAddress", address(ports.rtmp()));
        conf.put("hls", "yes");
        conf.put("hlsAddress", address(ports.hls()));
        conf.put("webrtc", "yes");
        conf.put("webrtcAddress", address(ports.webrtc()));
        conf.put("webrtcLocalUDPAddress", address(ports.webrtcUdp()));
        conf.put("webrtcLocalTCPAddress", "''");
        conf.put("webrtcIPsFromInterfaces", "no");
        conf.put("webrtcAdditionalHosts", "[" + HOST + "]");
        conf.put("srt", "yes");
        conf.put("srtAddress", address(ports.srt()));
        // 1.20 adds Media over QUIC on fixed ports (8892/8893); tests need none of it.
        conf.put("moq", "no");
        if (authUrl != null) {
            conf.put("authMethod", "http");
            conf.put("authHTTPAddress", quote(authUrl));
            conf.put("authHTTPExclude", "[" + String.join(", ", authExclude.stream().map(a -> "{action: " + a + "}").toList()) + "]");
        } else {
            conf.put("authMethod", "internal");
            conf.put("authInternalUsers", "\n- user: any\n  pass:\n  ips: ['127.0.0.1', '::1']\n  permissions:\n"
                    + "  - action: publish\n  - action: read\n  - action: playback\n"
                    + "  - action: api\n  - action: metrics\n  - action: pprof");
        }
        conf.putAll(settings);
        final StringBuilder yaml = new StringBuilder("# Written by vigil-testkit MediaMtx.\n");
        conf.forEach((key, value) -> yaml.append(key).append(':').append(value.startsWith("\n") ? "" : " ").append(value).append('\n'));
        if (!pathDefaults.isEmpty()) {
            yaml.append("pathDefaults:\n");
            pathDefaults.forEach((key, value) -> yaml.append("  ").append(key).append(": ").append(value).append('\n'));
        }
        yaml.append("paths:\n");
        paths.forEach((name, pathSettings) -> {
            yaml.append("  ").append(quote(name)).append(":\n");
            pathSettings.forEach((key, value) -> yaml.append("    ").append(key).append(": ").append(value).append('\n'));
        });
        if (!paths.containsKey("all_others")) {
            yaml.append("  all_others:\n");
        }
        return yaml.toString();
    }

    /** A YAML single-quoted string. */
    static String quote(final String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String address(final int port) {
        return HOST + ":" + port;
    }
}
