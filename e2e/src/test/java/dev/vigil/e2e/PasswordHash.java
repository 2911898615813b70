package dev.vigil.e2e;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** The bridge's stored-password form, {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>}, for test configs. */
final class PasswordHash {

    private static final int ITERATIONS = 1000;

    private PasswordHash() {
    }

    static String of(final String password) {
        final byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        try {
            final byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
            final Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
            return "pbkdf2-sha256$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        }
    }
}
