package dev.vigil.bridge.store;

/** A change would clash with what the registry holds (an id, topic or relay path in use). */
public final class ConflictException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line reason. */
    public ConflictException(final String message) {
        super(message);
    }
}
