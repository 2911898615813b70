package dev.vigil.agent.supervise;

/** A running child. */
public interface ChildProcess {

    /** Its process id. */
    long pid();

    /** SIGINT: gst-launch-1.0 -e sends EOS and closes the stream cleanly. */
    void interrupt();

    /** SIGTERM. */
    void terminate();

    /** SIGKILL. */
    void kill();

    /** True until it has exited. */
    boolean isRunning();
}
