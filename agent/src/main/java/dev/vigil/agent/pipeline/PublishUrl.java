package dev.vigil.agent.pipeline;

import dev.vigil.agent.config.MediaSettings;
import dev.vigil.protocol.PublishToken;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The publish URL with its credentials, from {@code media.url-template}: the long-lived password,
 * or, in token mode, a fresh {@link PublishToken} under the robot's id. Query parameters left empty
 * (no user, no password) are dropped.
 */
public final class PublishUrl {

    private PublishUrl() {
    }

    /** The URL and the secret it carries (to be masked), made at {@code now}. */
    public record Credentials(String url, String secret) {

        @Override
        public String toString() {
            return SecretMasker.of(secret).apply(url);
        }
    }

    /** Builds the URL for {@code robotId}. */
    public static Credentials build(final MediaSettings media, final String robotId, final Instant now) {
        final String user;
        final String pass;
        if (media.tokenAuth()) {
            user = robotId;
            // An Ed25519 private key (ed25519:..., from `vigil-bridge robot add`) signs; any other secret is an HMAC key.
            pass = PublishToken.issue(robotId, media.publishPassword(), now.plus(media.tokenTtl()));
        } else {
            user = media.publishUser();
            pass = media.publishPassword();
        }
        final String filled = media.urlTemplate()
                .replace("{server}", media.server())
                .replace("{path}", media.path())
                .replace("{user}", encode(user))
                .replace("{pass}", encode(pass));
        return new Credentials(dropEmptyQueryParams(filled), pass);
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String dropEmptyQueryParams(final String url) {
        final int question = url.indexOf('?');
        if (question < 0) {
            return url;
        }
        final List<String> kept = new ArrayList<>();
        for (final String param : url.substring(question + 1).split("&")) {
            if (!param.isEmpty() && !param.endsWith("=")) {
                kept.add(param);
            }
        }
        return url.substring(0, question) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }
}
