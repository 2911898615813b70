package dev.vigil.bridge.config;

import java.util.Map;

/**
 * Who may use the HTTP API.
 *
 * @param originalApi      whether /stream/start and /stream/stop need an operator
 * @param pbkdf2Iterations iterations for new password hashes
 * @param users            Basic-auth users by name
 * @param tokens           bearer tokens by name
 * @param throttle         how failed attempts are slowed down
 * @param session          the web page's sessions
 */
public record AuthSettings(boolean originalApi, int pbkdf2Iterations, Map<String, Credential> users,
                           Map<String, Credential> tokens, ThrottleSettings throttle, SessionSettings session) {

    /**
     * A stored secret and the role it grants.
     *
     * @param hash     the secret's hash ({@code pbkdf2-sha256$...} or {@code sha256$<hex>})
     * @param role     {@code viewer} or {@code operator}
     * @param maxViews how many views it may hold open at once ({@code views.max-per-user} unless set)
     */
    public record Credential(String hash, String role, int maxViews) {
        @Override
        public String toString() {
            return "Credential[role=" + role + "]";
        }
    }
}
