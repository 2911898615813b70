package dev.vigil.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short-lived publish credential that the agent makes from the robot's secret and the relay
 * auth endpoint checks. A token seen in {@code ps} is good only for that robot and only until it
 * expires. Two kinds:
 * <ul>
 *   <li>{@code v1.<robotId>.<expiry epoch seconds>.<base64url HMAC-SHA256>} under a secret that the
 *       robot and the bridge share (a robot in {@code bridge.conf} with {@code publish-secret});</li>
 *   <li>{@code v2.<robotId>.<expiry>.<base64url Ed25519 signature>} under the robot's private key
 *       ({@link PublishKeys}); the bridge verifies it with the public key, the only thing its
 *       registry keeps.</li>
 * </ul>
 */
public final class PublishToken {

    private static final String VERSION = "v1";
    private static final String SIGNED = "v2";
    private static final String ALGORITHM = "HmacSHA256";

    /** Why a token was refused, or {@link #VALID}. */
    public enum Verdict { VALID, MALFORMED, WRONG_ROBOT, EXPIRED, BAD_SIGNATURE }

    private PublishToken() {
    }

    /** Issues a token for {@code robotId} that expires at {@code expiresAt}. */
    public static String issue(final String robotId, final byte[] secret, final Instant expiresAt) {
        RobotIds.requireValid(robotId);
        final String body = VERSION + "." + robotId + "." + expiresAt.getEpochSecond();
        return body + "." + sign(body, secret);
    }

    /**
     * Issues a token from the robot's publish secret: signed ({@code v2}) when the secret is an
     * Ed25519 private key ({@code ed25519:...}), else an HMAC ({@code v1}) under the secret's bytes.
     */
    public static String issue(final String robotId, final String secret, final Instant expiresAt) {
        if (PublishKeys.isPrivateKey(secret)) {
            RobotIds.requireValid(robotId);
            final String body = SIGNED + "." + robotId + "." + expiresAt.getEpochSecond();
            try {
                final Signature signature = Signature.getInstance("Ed25519");
                signature.initSign(PublishKeys.privateKey(secret));
                signature.update(body.getBytes(StandardCharsets.UTF_8));
                return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
            } catch (final GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 is not available", e);
            }
        }
        return issue(robotId, secret.getBytes(StandardCharsets.UTF_8), expiresAt);
    }

    /** Checks a signed ({@code v2}) {@code token} for {@code robotId} with its public key, at time {@code now}. */
    public static Verdict verify(final String token, final String robotId, final PublicKey key, final Instant now) {
        final String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 4 || !SIGNED.equals(parts[0]) || !RobotIds.isValid(parts[1])) {
            return Verdict.MALFORMED;
        }
        final long expiry;
        final byte[] signed;
        try {
            expiry = Long.parseLong(parts[2]);
            signed = Base64.getUrlDecoder().decode(parts[3]);
        } catch (final IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        try {
            final Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1] + "." + parts[2]).getBytes(StandardCharsets.UTF_8));
            if (!signature.verify(signed)) {
                return Verdict.BAD_SIGNATURE;
            }
        } catch (final SignatureException e) {
            return Verdict.BAD_SIGNATURE;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
        return check(parts[1], robotId, expiry, now);
    }

    /** Checks {@code token} for {@code robotId} at time {@code now}, in constant time for the signature. */
    public static Verdict verify(final String token, final String robotId, final byte[] secret, final Instant now) {
        if (token == null) {
            return Verdict.MALFORMED;
        }
        final String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0]) || !RobotIds.isValid(parts[1])) {
            return Verdict.MALFORMED;
        }
        final long expiry;
        try {
            expiry = Long.parseLong(parts[2]);
        } catch (final NumberFormatException e) {
            return Verdict.MALFORMED;
        }
        final String body = parts[0] + "." + parts[1] + "." + parts[2];
        final boolean signed = MessageDigest.isEqual(
                sign(body, secret).getBytes(StandardCharsets.US_ASCII),
                parts[3].getBytes(StandardCharsets.US_ASCII));
        if (!signed) {
            return Verdict.BAD_SIGNATURE;
        }
        return check(parts[1], robotId, expiry, now);
    }

    private static Verdict check(final String named, final String robotId, final long expiry, final Instant now) {
        if (!named.equals(robotId)) {
            return Verdict.WRONG_ROBOT;
        }
        if (now.getEpochSecond() >= expiry) {
            return Verdict.EXPIRED;
        }
        return Verdict.VALID;
    }

    /** Whether {@code token} is of the signed kind ({@code v2}); it is not verified. */
    public static boolean isSigned(final String token) {
        return token != null && token.startsWith(SIGNED + ".");
    }

    /** The robot id a well-formed token names, or {@code null}; the token is not verified. */
    public static String robotIdOf(final String token) {
        if (token == null) {
            return null;
        }
        final String[] parts = token.split("\\.", -1);
        return parts.length == 4 && (VERSION.equals(parts[0]) || SIGNED.equals(parts[0])) && RobotIds.isValid(parts[1])
                ? parts[1] : null;
    }

    private static String sign(final String body, final byte[] secret) {
        try {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, ALGORITHM));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
