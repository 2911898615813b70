package dev.vigil.bridge.view;

/** A robot has as many live views as allowed. */
public final class TooManyViewsException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public TooManyViewsException(final String message) {
        super(message);
    }
}
