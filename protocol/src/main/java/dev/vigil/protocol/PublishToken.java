package dev.vigil.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short-lived publish credential that the agent makes from the robot's secret and the relay
 * auth endpoint checks: {@code v1.<robotId>.<expiry epoch seconds>.<base64url HMAC-SHA256>}. A token
 * seen in {@code ps} is good only for that robot and only until it expires.
 */
public final class PublishToken {

    private static final String VERSION = "v1";
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
        if (!parts[1].equals(robotId)) {
            return Verdict.WRONG_ROBOT;
        }
        if (now.getEpochSecond() >= expiry) {
            return Verdict.EXPIRED;
        }
        return Verdict.VALID;
    }

    /** The robot id a well-formed token names, or {@code null}; the token is not verified. */
    public static String robotIdOf(final String token) {
        if (token == null) {
            return null;
        }
        final String[] parts = token.split("\\.", -1);
        return parts.length == 4 && VERSION.equals(parts[0]) && RobotIds.isValid(parts[1]) ? parts[1] : null;
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
