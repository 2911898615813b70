package dev.vigil.bridge.config;

import java.time.Duration;

/**
 * Recording on request through the relay (see {@code vigil.bridge.recording} in reference.conf).
 *
 * @param enabled        whether the recording and clip routes work (else they answer 404)
 * @param relayApi       MediaMTX's control API, e.g. {@code http://127.0.0.1:9997}
 * @param relayPlayback  MediaMTX's playback server, e.g. {@code http://127.0.0.1:9996}
 * @param relayUser      the user the bridge gives them (empty: none); never logged
 * @param relayPassword  its password or token; never logged
 * @param maxDuration    the longest recording an operator may ask for, and the one given when none is asked
 * @param diskPath       the folder the relay records to, when it is on this host; empty when not checked
 * @param minFreeSpace   less free space there refuses a recording and stops a running one
 * @param diskCheckEvery how often the free space is checked while recording
 */
public record RecordingSettings(boolean enabled, String relayApi, String relayPlayback, String relayUser,
                                String relayPassword, Duration maxDuration, String diskPath, long minFreeSpace,
                                Duration diskCheckEvery) {

    @Override
    public String toString() {
        return "RecordingSettings[enabled=" + enabled + ", relayApi=" + relayApi + ", relayPlayback=" + relayPlayback
                + ", maxDuration=" + maxDuration + ", diskPath=" + diskPath + "]";
    }
}
