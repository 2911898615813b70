package dev.vigil.bridge.relay;

import java.util.Locale;
import java.util.Optional;

/** What a relay asks permission for (MediaMTX's action names; nginx-rtmp's publish and play). */
public enum RelayAction {
    PUBLISH, READ, PLAYBACK, API, METRICS, PPROF;

    /** Parses a MediaMTX action ({@code play} is nginx-rtmp's read). */
    public static Optional<RelayAction> parse(final String action) {
        if (action == null) {
            return Optional.empty();
        }
        final String name = action.strip().toLowerCase(Locale.ROOT);
        if ("play".equals(name)) {
            return Optional.of(READ);
        }
        for (final RelayAction value : values()) {
            if (value.name().toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
