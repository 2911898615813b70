package dev.vigil.bridge.config;

import java.util.Map;

/**
 * One relay (a MediaMTX instance). Each robot is assigned one: its agent publishes there, and its
 * viewers are sent there.
 *
 * @param name       the relay's name ({@code robots.<id>.relay}, {@code robot add --relay})
 * @param publishUrl the agent's {@code media.url-template} for this relay ({@code {path}}, {@code {user}},
 *                   {@code {pass}} are filled in by the agent)
 * @param viewerUrls viewer URL templates by kind ({@code rtsp}, {@code hls}, {@code webrtc}, {@code rtmp};
 *                   placeholders {@code {path}} and {@code {id}})
 */
public record RelaySettings(String name, String publishUrl, Map<String, String> viewerUrls) {
}
