package dev.vigil.bridge.auth;

import java.util.Locale;

/** What a caller may do. An operator may do everything a viewer may. */
public enum Role {
    VIEWER, OPERATOR;

    /** Whether this role includes {@code needed}. */
    public boolean includes(final Role needed) {
        return compareTo(needed) >= 0;
    }

    /** Parses {@code viewer} or {@code operator}. */
    public static Role fromConfig(final String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
