package dev.vigil.bridge.config;

import java.time.Duration;
import java.util.Map;

/**
 * Who may use the HTTP API.
 *
 * @param originalApi      whether /stream/start and /stream/stop need an operator
 * @param pbkdf2Iterations iterations for new password hashes
 * @param users            Basic-auth users by name
 * @param tokens           bearer tokens by name
 * @param maxFailures      failed attempts from one address before 429
 * @param failureWindow    the window of those attempts, and how long the 429 lasts
 */
public record AuthSettings(boolean originalApi, int pbkdf2Iterations, Map<String, Credential> users,
                           Map<String, Credential> tokens, int maxFailures, Duration failureWindow) {

    /**
     * A stored secret and the role it grants.
     *
     * @param hash the secret's hash ({@code pbkdf2-sha256$...} or {@code sha256$<hex>})
     * @param role {@code viewer} or {@code operator}
     */
    public record Credential(String hash, String role) {
        @Override
        public String toString() {
            return "Credential[role=" + role + "]";
        }
    }
}
