package dev.vigil.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A robot's Ed25519 publish key pair, as text. The robot keeps the private key
 * ({@code ed25519:<base64url PKCS#8>}, its {@code media.publish-password} in token mode) and signs
 * its publish tokens with it; the bridge keeps only the public key ({@code ed25519-pub:<base64url
 * X.509>}), which verifies them but cannot make one. So nothing the bridge stores lets anyone publish.
 */
public final class PublishKeys {

    /** The prefix of a private key in text. */
    public static final String PRIVATE_PREFIX = "ed25519:";
    /** The prefix of a public key in text. */
    public static final String PUBLIC_PREFIX = "ed25519-pub:";
    private static final String ALGORITHM = "Ed25519";

    /**
     * A key pair in text.
     *
     * @param privateKey {@code ed25519:...}: the robot's secret
     * @param publicKey  {@code ed25519-pub:...}: what the bridge stores
     */
    public record Pair(String privateKey, String publicKey) {
        @Override
        public String toString() {
            return "Pair[publicKey=" + publicKey + "]";
        }
    }

    private PublishKeys() {
    }

    /** A new random key pair. */
    public static Pair generate() {
        try {
            final KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            final Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return new Pair(PRIVATE_PREFIX + b64.encodeToString(pair.getPrivate().getEncoded()),
                    PUBLIC_PREFIX + b64.encodeToString(pair.getPublic().getEncoded()));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /** Whether {@code secret} is a private key in text (rather than an HMAC secret). */
    public static boolean isPrivateKey(final String secret) {
        return secret != null && secret.startsWith(PRIVATE_PREFIX);
    }

    /** The private key of {@code text}; throws {@link IllegalArgumentException} with a reason that holds no key. */
    public static PrivateKey privateKey(final String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(decode(text, PRIVATE_PREFIX)));
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 private key (" + PRIVATE_PREFIX + "<base64url PKCS#8>)");
        }
    }

    /** The public key of {@code text}; throws {@link IllegalArgumentException} when it is not one. */
    public static PublicKey publicKey(final String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(decode(text, PUBLIC_PREFIX)));
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (" + PUBLIC_PREFIX + "<base64url X.509>)");
        }
    }

    /** Whether {@code text} is a well-formed public key. */
    public static boolean isPublicKey(final String text) {
        try {
            publicKey(text);
            return true;
        } catch (final IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] decode(final String text, final String prefix) {
        if (text == null || !text.startsWith(prefix)) {
            throw new IllegalArgumentException("missing prefix");
        }
        // base64url as generate() writes it, or the standard alphabet of a PEM body
        // (openssl genpkey -algorithm ed25519), with or without padding.
        return Base64.getDecoder().decode(text.substring(prefix.length()).strip().replace('-', '+').replace('_', '/'));
    }
}
