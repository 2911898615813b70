package dev.vigil.protocol;

import java.util.Locale;

/**
 * Why a robot must not stream, whatever a viewer, a player or motion asks. The bridge publishes it
 * retained on {@code B/control} ({@link ControlMessage}); the agent refuses every {@code start} while
 * it is not {@link #NONE} and reports the hold it enforces in its state ({@code "hold"}). The wire
 * form is the lower-case name.
 */
public enum Hold {
    /** No hold: the robot streams on demand. */
    NONE,
    /** An operator stopped the robot: it stays off until an operator starts it again. */
    STOPPED,
    /** An operator disabled the camera (privacy): it stays off until an operator enables it again. */
    PRIVACY;

    /** The lower-case name used on the wire. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a start must be refused. */
    public boolean holds() {
        return this != NONE;
    }

    /** Parses the wire form, or throws {@link IllegalArgumentException}. */
    public static Hold fromWire(final String wire) {
        return valueOf(wire.strip().toUpperCase(Locale.ROOT));
    }
}
