package dev.vigil.bridge.config;

import java.time.Duration;

/**
 * Recording on request through the relay (see {@code vigil.bridge.recording} in reference.conf). The
 * relay's control API and the credentials the bridge gives it and its playback server are
 * {@code relay.api} ({@link RelayApiSettings}).
 *
 * @param enabled        whether the recording and clip routes work (else they answer 404)
 * @param relayPlayback  MediaMTX's playback server, e.g. {@code http://127.0.0.1:9996}
 * @param maxDuration    the longest recording an operator may ask for, and the one given when none is asked
 * @param diskPath       the folder the relay records to, when it is on this host; empty when not checked
 * @param minFreeSpace   less free space there refuses a recording and stops a running one
 * @param diskCheckEvery how often the free space is checked while recording
 */
public record RecordingSettings(boolean enabled, String relayPlayback, Duration maxDuration, String diskPath,
                                long minFreeSpace, Duration diskCheckEvery) {
}
