package dev.vigil.bridge.config;

import java.util.regex.Pattern;

/** Relay paths ({@code live/rover1}): levels of letters, digits, {@code _} or {@code -} separated by {@code /}. */
public final class RelayPaths {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");

    private RelayPaths() {
    }

    /** Whether {@code path} is a relay path. */
    public static boolean isValid(final String path) {
        return path != null && path.length() <= 255 && VALID.matcher(path).matches();
    }
}
