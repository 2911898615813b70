package dev.vigil.bridge.auth;

/**
 * An authenticated caller.
 *
 * @param name     the user's or token's configured name
 * @param role     what it may do
 * @param kind     whether it is a user (password, or a session of one) or a bearer token
 * @param maxViews how many views it may hold open at once
 */
public record Principal(String name, Role role, Kind kind, int maxViews) {

    /** How a principal is configured. */
    public enum Kind { USER, TOKEN }

    /** Who owns what this principal opens: the same for a user's password and for their sessions. */
    public String owner() {
        return (kind == Kind.USER ? "user:" : "token:") + name;
    }
}
