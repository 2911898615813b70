package dev.vigil.protocol;

/** A payload that does not follow the contract. The message is one line, fit for a log and for {@code lastError}. */
public final class InvalidMessageException extends Exception {

    public InvalidMessageException(final String message) {
        super(message);
    }
}
