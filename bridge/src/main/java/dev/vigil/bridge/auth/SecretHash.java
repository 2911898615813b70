package dev.vigil.bridge.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Stored secrets: {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>} (PBKDF2WithHmacSHA256
 * from the JDK) for passwords, or {@code sha256$<hex>} for high-entropy bearer tokens. Checks
 * compare in constant time.
 */
public final class SecretHash {

    private static final String PBKDF2 = "pbkdf2-sha256";
    private static final String SHA256 = "sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretHash() {
    }

    /** A new PBKDF2 hash of {@code secret} with a random salt. */
    public static String pbkdf2(final char[] secret, final int iterations) {
        final byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        final Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PBKDF2 + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(secret, salt, iterations));
    }

    /** The {@code sha256$<hex>} form of {@code secret}. */
    public static String sha256(final String secret) {
        return SHA256 + "$" + HexFormat.of().formatHex(digest(secret));
    }

    /** True when {@code stored} is a hash this class can check. */
    public static boolean isValid(final String stored) {
        if (stored == null) {
            return false;
        }
        final String[] parts = stored.split("\\$", -1);
        try {
            if (parts.length == 2 && SHA256.equals(parts[0])) {
                return HexFormat.of().parseHex(parts[1]).length == 32;
            }
            if (parts.length == 4 && PBKDF2.equals(parts[0])) {
                final Base64.Decoder b64 = Base64.getDecoder();
                return Integer.parseInt(parts[1]) > 0 && b64.decode(parts[2]).length > 0 && b64.decode(parts[3]).length > 0;
            }
        } catch (final IllegalArgumentException e) {
            return false;
        }
        return false;
    }

    /** Whether {@code secret} matches {@code stored}; false for a malformed hash. */
    public static boolean matches(final String secret, final String stored) {
        if (secret == null || !isValid(stored)) {
            return false;
        }
        final String[] parts = stored.split("\\$", -1);
        if (SHA256.equals(parts[0])) {
            return MessageDigest.isEqual(digest(secret), HexFormat.of().parseHex(parts[1]));
        }
        final Base64.Decoder b64 = Base64.getDecoder();
        final byte[] expected = b64.decode(parts[3]);
        final byte[] actual = derive(secret.toCharArray(), b64.decode(parts[2]), Integer.parseInt(parts[1]), expected.length * 8);
        return MessageDigest.isEqual(actual, expected);
    }

    private static byte[] derive(final char[] secret, final byte[] salt, final int iterations) {
        return derive(secret, salt, iterations, HASH_BITS);
    }

    private static byte[] derive(final char[] secret, final byte[] salt, final int iterations, final int bits) {
        final PBEKeySpec spec = new PBEKeySpec(secret, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] digest(final String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
