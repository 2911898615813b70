package dev.vigil.bridge.record;

/** The relay's control API or playback server did not do what was asked; the message is one line, without secrets. */
public final class RelayRecordingException extends Exception {

    public RelayRecordingException(final String message) {
        super(message);
    }
}
