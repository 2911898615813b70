package dev.vigil.bench.fleet;

import dev.vigil.agent.supervise.ChildLauncher;
import dev.vigil.agent.supervise.ChildListener;
import dev.vigil.agent.supervise.ChildProcess;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for {@code gst-launch-1.0 -e -m}: it prints what the real one prints when its
 * pipeline plays (the PLAYING bus message the agent waits for), then a progress line every second
 * while it "streams", and exits 0 on SIGINT as {@code -e} does after EOS. No video, no process: the
 * bench measures the control path, not the encoder.
 */
final class FakeGstLauncher implements ChildLauncher {

    /** gst-launch -m's line for the top-level pipeline's move to PLAYING. */
    static final String PLAYING = "Got message #95 from element \"pipeline0\" (state-changed): GstMessageStateChanged,"
            + " old-state=(GstState)paused, new-state=(GstState)playing, pending-state=(GstState)void-pending;";

    /** Above any pid_max, so that no PID file ever names a real process. */
    private static final AtomicLong PIDS = new AtomicLong(1_000_000_000L);

    private final ScheduledExecutorService timers;
    private final long startMillis;

    /** Children print on {@code timers}; each reaches PLAYING {@code startMillis} after its launch. */
    FakeGstLauncher(final ScheduledExecutorService timers, final long startMillis) {
        this.timers = timers;
        this.startMillis = startMillis;
    }

    @Override
    public ChildProcess launch(final List<String> argv, final ChildListener listener) {
        return new Child(PIDS.incrementAndGet(), listener);
    }

    private final class Child implements ChildProcess {
        private final long pid;
        private final ChildListener listener;
        private volatile boolean running = true;
        private final ScheduledFuture<?> progress;

        private Child(final long pid, final ChildListener listener) {
            this.pid = pid;
            this.listener = listener;
            timers.schedule(() -> {
                if (running) {
                    listener.onOutputLine("Setting pipeline to PLAYING ...", false);
                    listener.onOutputLine(PLAYING, false);
                }
            }, startMillis, TimeUnit.MILLISECONDS);
            final long[] seconds = {0};
            this.progress = timers.scheduleAtFixedRate(() -> {
                if (running) {
                    seconds[0]++;
                    listener.onOutputLine("progressreport0 (00:00:" + String.format("%02d", seconds[0] % 60) + "): "
                            + seconds[0] + " seconds", false);
                }
            }, startMillis + 1000, 1000, TimeUnit.MILLISECONDS);
        }

        private void exit(final int code) {
            if (running) {
                running = false;
                progress.cancel(false);
                timers.schedule(() -> listener.onExit(code), 5, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public void interrupt() {
            exit(0);
        }

        @Override
        public void terminate() {
            exit(143);
        }

        @Override
        public void kill() {
            exit(137);
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
