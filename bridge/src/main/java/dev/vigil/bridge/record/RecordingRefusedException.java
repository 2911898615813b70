package dev.vigil.bridge.record;

/** A recording that cannot start: the robot is offline or held by an operator, or the relay's disk is nearly full. */
public final class RecordingRefusedException extends Exception {

    /** Why. */
    public enum Reason { OFFLINE, HELD, DISK_FULL }

    private final Reason reason;

    public RecordingRefusedException(final Reason reason, final String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
