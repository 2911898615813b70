package dev.vigil.bridge.mqtt;

/** The broker connection is down; the caller should retry later. */
public final class BrokerUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line reason that holds no secret. */
    public BrokerUnavailableException(final String message) {
        super(message);
    }
}
