package dev.vigil.protocol;

import java.util.Locale;

/** What the agent was last asked for. The wire form is the lower-case name. */
public enum Desired {
    STREAMING, IDLE;

    /** The lower-case name used in {@code B/state}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form, or throws {@link IllegalArgumentException}. */
    public static Desired fromWire(final String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
