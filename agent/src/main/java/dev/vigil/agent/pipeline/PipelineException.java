package dev.vigil.agent.pipeline;

/** A template that cannot be read or rendered; the message is one line and names no secret. */
public final class PipelineException extends Exception {

    public PipelineException(final String message) {
        super(message);
    }
}
