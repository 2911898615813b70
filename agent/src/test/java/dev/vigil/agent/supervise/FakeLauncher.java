package dev.vigil.agent.supervise;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A launcher whose children are driven by the test: they print and exit when told to. */
final class FakeLauncher implements ChildLauncher {

    /** gst-launch -m's line for the pipeline's move to PLAYING. */
    static final String PLAYING_MESSAGE = "Got message #95 from element \"pipeline0\" (state-changed): GstMessageStateChanged,"
            + " old-state=(GstState)paused, new-state=(GstState)playing, pending-state=(GstState)void-pending;";

    /** A fake child that records the signals it gets; {@code obeysInterrupt} decides whether SIGINT ends it. */
    static final class FakeChild implements ChildProcess {

        final long pid;
        final ChildListener listener;
        final List<String> signals = new CopyOnWriteArrayList<>();
        volatile boolean obeysInterrupt = true;
        volatile boolean obeysTerminate = true;
        private volatile boolean running = true;

        FakeChild(final long pid, final ChildListener listener) {
            this.pid = pid;
            this.listener = listener;
        }

        void print(final String line) {
            listener.onOutputLine(line, false);
        }

        void printError(final String line) {
            listener.onOutputLine(line, true);
        }

        /** What gst-launch -e -m prints once every sink holds its first buffer. */
        void playing() {
            print("Setting pipeline to PLAYING ...");
            print(PLAYING_MESSAGE);
            print("progressreport0 (00:00:01): 0 seconds");
        }

        void exit(final int code) {
            if (running) {
                running = false;
                listener.onExit(code);
            }
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public void interrupt() {
            signals.add("INT");
            if (obeysInterrupt) {
                exit(0);
            }
        }

        @Override
        public void terminate() {
            signals.add("TERM");
            if (obeysTerminate) {
                exit(143);
            }
        }

        @Override
        public void kill() {
            signals.add("KILL");
            exit(137);
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }

    final List<FakeChild> children = new CopyOnWriteArrayList<>();
    final List<List<String>> argvs = new CopyOnWriteArrayList<>();
    private final AtomicLong pids = new AtomicLong(1000);

    @Override
    public ChildProcess launch(final List<String> argv, final ChildListener listener) {
        argvs.add(argv);
        final FakeChild child = new FakeChild(pids.incrementAndGet(), listener);
        children.add(child);
        return child;
    }

    FakeChild last() {
        return children.get(children.size() - 1);
    }

    long running() {
        return children.stream().filter(FakeChild::isRunning).count();
    }
}
