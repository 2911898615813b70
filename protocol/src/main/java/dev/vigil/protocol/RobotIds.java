package dev.vigil.protocol;

import java.util.regex.Pattern;

/** Robot ids name topics, relay paths and tokens, so they are kept to a safe alphabet. */
public final class RobotIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private RobotIds() {
    }

    /** True when {@code id} is 1 to 64 characters of letters, digits, {@code _} and {@code -}, not starting with a symbol. */
    public static boolean isValid(final String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** Returns {@code id}, or throws with a one-line reason. */
    public static String requireValid(final String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("robot id must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return id;
    }
}
