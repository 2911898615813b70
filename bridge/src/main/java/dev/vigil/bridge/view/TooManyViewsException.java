package dev.vigil.bridge.view;

/** A robot, or the user who asks, has as many live views as allowed. */
public final class TooManyViewsException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line reason for the client. */
    public TooManyViewsException(final String message) {
        super(message);
    }
}
