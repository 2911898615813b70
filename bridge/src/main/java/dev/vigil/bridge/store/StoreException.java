package dev.vigil.bridge.store;

/** The database failed or is out of reach; the message is one line and holds no secret. */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public StoreException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception without a cause. */
    public StoreException(final String message) {
        super(message);
    }
}
