package dev.vigil.agent.supervise;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** POSIX signals by pid through libc's {@code kill(2)}: NuProcess itself sends only SIGTERM and SIGKILL. */
public final class Signals {

    /** Interrupt: what Ctrl-C sends; gst-launch -e answers it with EOS. */
    public static final int SIGINT = 2;
    /** Kill, which cannot be caught. */
    public static final int SIGKILL = 9;
    /** Terminate. */
    public static final int SIGTERM = 15;

    private interface LibC extends Library {
        int kill(int pid, int signal);
    }

    private static final class Holder {
        private static final LibC LIBC = Native.load("c", LibC.class);
    }

    private Signals() {
    }

    /** Sends {@code signal} to {@code pid}; false when there is no such process. */
    public static boolean send(final long pid, final int signal) {
        return Holder.LIBC.kill((int) pid, signal) == 0;
    }
}
