package dev.vigil.bridge.relay;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Decodes {@code application/x-www-form-urlencoded} text and URL queries. */
public final class Forms {

    private Forms() {
    }

    /** Decodes {@code a=1&b=2}; the first value of a repeated field wins; a malformed escape is kept raw. */
    public static Map<String, String> decode(final String text) {
        final Map<String, String> fields = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return fields;
        }
        for (final String pair : text.split("&")) {
            final int eq = pair.indexOf('=');
            final String name = unescape(eq < 0 ? pair : pair.substring(0, eq));
            final String value = eq < 0 ? "" : unescape(pair.substring(eq + 1));
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    private static String unescape(final String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return text;
        }
    }
}
