package dev.vigil.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PublishTokenTest {

    private static final byte[] SECRET = "robot-secret".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void verify_acceptsFreshToken_forItsRobot() {
        final String token = PublishToken.issue("r1", SECRET, NOW.plusSeconds(300));
        assertEquals(PublishToken.Verdict.VALID, PublishToken.verify(token, "r1", SECRET, NOW));
        assertEquals("r1", PublishToken.robotIdOf(token));
        assertFalse(token.contains("robot-secret"));
    }

    @Test
    void verify_refusesToken_forAnotherRobot() {
        final String token = PublishToken.issue("r1", SECRET, NOW.plusSeconds(300));
        assertEquals(PublishToken.Verdict.WRONG_ROBOT, PublishToken.verify(token, "r2", SECRET, NOW));
    }

    @Test
    void verify_refusesToken_afterExpiry() {
        final String token = PublishToken.issue("r1", SECRET, NOW.plusSeconds(300));
        assertEquals(PublishToken.Verdict.EXPIRED, PublishToken.verify(token, "r1", SECRET, NOW.plusSeconds(300)));
    }

    @Test
    void verify_refusesToken_withOtherSecretOrTamperedExpiry() {
        final String token = PublishToken.issue("r1", SECRET, NOW.plusSeconds(300));
        assertEquals(PublishToken.Verdict.BAD_SIGNATURE,
                PublishToken.verify(token, "r1", "other".getBytes(StandardCharsets.UTF_8), NOW));
        final String tampered = token.replace("." + NOW.plusSeconds(300).getEpochSecond() + ".",
                "." + NOW.plusSeconds(99999).getEpochSecond() + ".");
        assertEquals(PublishToken.Verdict.BAD_SIGNATURE, PublishToken.verify(tampered, "r1", SECRET, NOW));
    }

    @Test
    void verify_refusesGarbage_asMalformed() {
        assertEquals(PublishToken.Verdict.MALFORMED, PublishToken.verify("hello", "r1", SECRET, NOW));
        assertEquals(PublishToken.Verdict.MALFORMED, PublishToken.verify("v1.r1.soon.sig", "r1", SECRET, NOW));
        assertEquals(PublishToken.Verdict.MALFORMED, PublishToken.verify(null, "r1", SECRET, NOW));
    }

    @Test
    void verify_acceptsSignedToken_withPublicKeyOnly() {
        final PublishKeys.Pair keys = PublishKeys.generate();
        final String token = PublishToken.issue("r1", keys.privateKey(), NOW.plusSeconds(300));
        assertTrue(PublishToken.isSigned(token));
        assertEquals("r1", PublishToken.robotIdOf(token));
        assertEquals(PublishToken.Verdict.VALID,
                PublishToken.verify(token, "r1", PublishKeys.publicKey(keys.publicKey()), NOW));
        assertFalse(token.contains(keys.privateKey().substring(PublishKeys.PRIVATE_PREFIX.length())));
    }

    @Test
    void verify_refusesSignedToken_underAnotherKeyExpiredOrForAnotherRobot() {
        final PublishKeys.Pair keys = PublishKeys.generate();
        final String token = PublishToken.issue("r1", keys.privateKey(), NOW.plusSeconds(300));
        assertEquals(PublishToken.Verdict.BAD_SIGNATURE, PublishToken.verify(token, "r1",
                PublishKeys.publicKey(PublishKeys.generate().publicKey()), NOW));
        assertEquals(PublishToken.Verdict.EXPIRED, PublishToken.verify(token, "r1",
                PublishKeys.publicKey(keys.publicKey()), NOW.plusSeconds(300)));
        assertEquals(PublishToken.Verdict.WRONG_ROBOT, PublishToken.verify(token, "r2",
                PublishKeys.publicKey(keys.publicKey()), NOW));
        final String tampered = token.replace("." + NOW.plusSeconds(300).getEpochSecond() + ".",
                "." + NOW.plusSeconds(99999).getEpochSecond() + ".");
        assertEquals(PublishToken.Verdict.BAD_SIGNATURE, PublishToken.verify(tampered, "r1",
                PublishKeys.publicKey(keys.publicKey()), NOW));
    }

    @Test
    void verify_refusesHmacTokenOrGarbage_asMalformedSignedToken() {
        final PublishKeys.Pair keys = PublishKeys.generate();
        final String hmac = PublishToken.issue("r1", SECRET, NOW.plusSeconds(300));
        assertEquals(PublishToken.Verdict.MALFORMED, PublishToken.verify(hmac, "r1", PublishKeys.publicKey(keys.publicKey()), NOW));
        assertEquals(PublishToken.Verdict.MALFORMED, PublishToken.verify("v2.r1.1.%%%", "r1", PublishKeys.publicKey(keys.publicKey()), NOW));
    }

    @Test
    void publicKey_refusesPrivateKeyOrGarbage_withoutQuotingIt() {
        final PublishKeys.Pair keys = PublishKeys.generate();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PublishKeys.publicKey(keys.privateKey()));
        assertFalse(e.getMessage().contains(keys.privateKey().substring(PublishKeys.PRIVATE_PREFIX.length())));
        assertFalse(PublishKeys.isPublicKey("ed25519-pub:not-base64!"));
        assertTrue(PublishKeys.isPublicKey(keys.publicKey()));
    }

    @Test
    void signedToken_ofAnOpensslKeyPair_verifies() {
        // openssl genpkey -algorithm ed25519 (and | openssl pkey -pubout): the bodies of their PEM files.
        final String privateKey = PublishKeys.PRIVATE_PREFIX + "MC4CAQAwBQYDK2VwBCIEINNsseE8NMX696OJZw4SCmH5jt2N2/QPIfT7FltL7KV2";
        final String publicKey = PublishKeys.PUBLIC_PREFIX + "MCowBQYDK2VwAyEACEQR0t30LYIzHUfQw+Fli9yGazua3DfU6nyGnnjwKsA=";
        final String token = PublishToken.issue("r1", privateKey, NOW.plusSeconds(60));
        assertEquals(PublishToken.Verdict.VALID, PublishToken.verify(token, "r1", PublishKeys.publicKey(publicKey), NOW));
        assertTrue(PublishKeys.isPublicKey(publicKey.replace("=", "").replace('+', '-').replace('/', '_')));
    }
}
