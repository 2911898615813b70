package dev.vigil.bridge.view;

import dev.vigil.protocol.Hold;

/** The robot is held by an operator (stopped, or its camera disabled): no view may start it. */
public final class RobotHeldException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Hold hold;

    /** Creates the exception for {@code hold} with a one-line reason for the client. */
    public RobotHeldException(final Hold hold, final String message) {
        super(message);
        this.hold = hold;
    }

    /** The hold in force. */
    public Hold hold() {
        return hold;
    }
}
