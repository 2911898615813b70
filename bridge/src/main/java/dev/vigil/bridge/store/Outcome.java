package dev.vigil.bridge.store;

/** What an idempotent "make it so" did. */
public enum Outcome {
    /** It was not there and now is. */
    ADDED,
    /** It was there with other values, which were replaced. */
    UPDATED,
    /** It was there already, exactly so. */
    UNCHANGED;

    /** {@code added}, {@code updated} or {@code unchanged}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
