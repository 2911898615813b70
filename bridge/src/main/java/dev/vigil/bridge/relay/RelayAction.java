package dev.vigil.bridge.relay;

import java.util.Locale;
import java.util.Optional;

/** What MediaMTX asks permission for (its {@code authMethod: http} action names). */
public enum RelayAction {
    PUBLISH, READ, PLAYBACK, API, METRICS, PPROF;

    /** Parses a MediaMTX action. */
    public static Optional<RelayAction> parse(final String action) {
        if (action == null) {
            return Optional.empty();
        }
        final String name = action.strip().toLowerCase(Locale.ROOT);
        for (final RelayAction value : values()) {
            if (value.name().toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
