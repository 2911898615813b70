package dev.vigil.agent.supervise;

import java.util.List;

/** Starts a child process; {@link NuProcessLauncher} in production, a fake in unit tests. */
public interface ChildLauncher {

    /** Starts {@code argv} (no shell); output and exit go to {@code listener}. */
    ChildProcess launch(List<String> argv, ChildListener listener);
}
