package dev.vigil.bridge.auth;

/**
 * An authenticated caller.
 *
 * @param name the user's or token's configured name
 * @param role what it may do
 */
public record Principal(String name, Role role) {
}
