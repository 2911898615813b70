package dev.vigil.bridge.auth;

import dev.vigil.bridge.config.AuthSettings;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Checks user/password pairs and bearer tokens against the configured hashes. A successful check
 * is remembered under a SHA-256 of the presented secret, so a client that sends the same
 * credentials on every request pays PBKDF2 once, not per request. The users and tokens may change
 * at run time (the registry); the remembered checks are forgotten whenever they do.
 */
public final class Credentials {

    private static final int CACHE_LIMIT = 4096;

    private final Supplier<Map<String, AuthSettings.Credential>> users;
    private final Supplier<Map<String, AuthSettings.Credential>> tokens;
    private final Map<String, Principal> verified = new ConcurrentHashMap<>();
    private volatile Map<String, AuthSettings.Credential> checkedUsers;
    private volatile Map<String, AuthSettings.Credential> checkedTokens;

    /** Creates the checker for the configured users and tokens. */
    public Credentials(final AuthSettings settings) {
        this(constant(Map.copyOf(settings.users())), constant(Map.copyOf(settings.tokens())));
    }

    /** Creates the checker for users and tokens that may change: each supplier returns a new map when they do. */
    public Credentials(final Supplier<Map<String, AuthSettings.Credential>> users,
                       final Supplier<Map<String, AuthSettings.Credential>> tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    private static <T> Supplier<T> constant(final T value) {
        return () -> value;
    }

    /** The principal of a user whose password matches. */
    public Optional<Principal> user(final String name, final String password) {
        if (name == null || password == null) {
            return Optional.empty();
        }
        final AuthSettings.Credential credential = users.get().get(name);
        if (credential == null) {
            return Optional.empty();
        }
        return cached("u:" + name + ":" + password, () -> SecretHash.matches(password, credential.hash())
                ? new Principal(name, Role.fromConfig(credential.role()), Principal.Kind.USER, credential.maxViews()) : null);
    }

    /** The principal of a bearer token that matches one of the configured token hashes. */
    public Optional<Principal> token(final String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return cached("t:" + token, () -> {
            for (final Map.Entry<String, AuthSettings.Credential> entry : tokens.get().entrySet()) {
                if (SecretHash.matches(token, entry.getValue().hash())) {
                    return new Principal(entry.getKey(), Role.fromConfig(entry.getValue().role()), Principal.Kind.TOKEN,
                            entry.getValue().maxViews());
                }
            }
            return null;
        });
    }

    private Optional<Principal> cached(final String secret, final Supplier<Principal> check) {
        final Map<String, AuthSettings.Credential> nowUsers = users.get();
        final Map<String, AuthSettings.Credential> nowTokens = tokens.get();
        if (nowUsers != checkedUsers || nowTokens != checkedTokens) {
            // A user or token was added, changed or removed: check every secret afresh.
            verified.clear();
            checkedUsers = nowUsers;
            checkedTokens = nowTokens;
        }
        final String key = fingerprint(secret);
        final Principal known = verified.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        final Principal principal = check.get();
        if (principal != null) {
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
            }
            verified.put(key, principal);
        }
        return Optional.ofNullable(principal);
    }

    private static String fingerprint(final String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
