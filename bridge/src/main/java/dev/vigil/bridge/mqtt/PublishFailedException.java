package dev.vigil.bridge.mqtt;

/** The broker refused a publish or did not confirm it in time. */
public final class PublishFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line reason that holds no secret. */
    public PublishFailedException(final String message) {
        super(message);
    }
}
