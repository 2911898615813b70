package dev.vigil.agent.pipeline;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Replaces secrets with {@code ***} in any text: each known secret in its plain and URL-encoded
 * forms, and the value of any {@code pass=}, {@code password=} or {@code token=} query parameter or
 * {@code user:password@} URL part, whatever its value.
 */
public final class SecretMasker implements UnaryOperator<String> {

    /** What a secret becomes. */
    public static final String MASK = "***";

    /** {@code pass=...}, also as gst-launch -m escapes it ({@code pass\=...}). */
    private static final Pattern QUERY_SECRET = Pattern.compile("(?i)\\b(pass|password|passwd|token|secret)(\\\\?=)[^&\\s\"'\\\\]+");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/:@\\s\"']+):[^@/\\s\"']+@");

    private final List<String> secrets;

    private SecretMasker(final List<String> secrets) {
        this.secrets = secrets;
    }

    /** A masker for {@code secrets} (empty and very short ones are ignored: they would mask everything). */
    public static SecretMasker of(final String... secrets) {
        final Set<String> forms = new LinkedHashSet<>();
        for (final String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                forms.add(secret);
                forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
                forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        final List<String> sorted = new ArrayList<>(forms);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMasker(List.copyOf(sorted));
    }

    /** A masker that also masks {@code more}. */
    public SecretMasker with(final String... more) {
        final List<String> all = new ArrayList<>(secrets);
        all.addAll(List.of(more));
        return of(all.toArray(String[]::new));
    }

    @Override
    public String apply(final String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (final String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        masked = QUERY_SECRET.matcher(masked).replaceAll("$1$2" + MASK);
        return URL_PASSWORD.matcher(masked).replaceAll("$1:" + MASK + "@");
    }
}
