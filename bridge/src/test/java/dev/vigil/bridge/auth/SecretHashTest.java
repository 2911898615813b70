package dev.vigil.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretHashTest {

    @Test
    void pbkdf2_matchesOnlyItsSecret_withRandomSalt() {
        final String hash = SecretHash.pbkdf2("hunter2".toCharArray(), 1000);
        assertTrue(hash.startsWith("pbkdf2-sha256$1000$"));
        assertTrue(SecretHash.matches("hunter2", hash));
        assertFalse(SecretHash.matches("hunter3", hash));
        assertNotEquals(hash, SecretHash.pbkdf2("hunter2".toCharArray(), 1000));
        assertFalse(hash.contains("hunter2"));
    }

    @Test
    void sha256_matchesToken() {
        assertTrue(SecretHash.matches("tok", SecretHash.sha256("tok")));
        assertFalse(SecretHash.matches("tok2", SecretHash.sha256("tok")));
    }

    @Test
    void matches_false_forMalformedHash() {
        assertFalse(SecretHash.isValid("plain"));
        assertFalse(SecretHash.matches("plain", "plain"));
        assertFalse(SecretHash.matches("x", "pbkdf2-sha256$zz$$"));
        assertFalse(SecretHash.matches("x", "sha256$nothex"));
    }
}
