package dev.vigil.protocol;

import java.util.Locale;

/** What the agent's supervisor is doing. The wire form is the lower-case name. */
public enum StreamState {
    IDLE, STARTING, STREAMING, STOPPING, RETRYING, FAILED;

    /** The lower-case name used in {@code B/state}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form, or throws {@link IllegalArgumentException}. */
    public static StreamState fromWire(final String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
