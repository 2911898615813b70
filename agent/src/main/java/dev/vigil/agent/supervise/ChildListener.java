package dev.vigil.agent.supervise;

/** Events of a child. Called from the process-reading thread: implementations must not block. */
public interface ChildListener {

    /** One line of output, without its line end. */
    void onOutputLine(String line, boolean stderr);

    /** The child exited; {@link Integer#MIN_VALUE} means it could not be launched at all. */
    void onExit(int exitCode);
}
