package dev.vigil.agent.supervise;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Launches children with NuProcess (one shared thread reads every child's pipes). */
public final class NuProcessLauncher implements ChildLauncher {

    @Override
    public ChildProcess launch(final List<String> argv, final ChildListener listener) {
        final NuProcessBuilder builder = new NuProcessBuilder(argv);
        builder.setProcessListener(new Handler(listener));
        final NuProcess process = builder.start();
        return process == null ? null : new NuChild(process);
    }

    /** Splits output into lines, keeping a partial tail until its line end arrives. */
    private static final class Handler extends NuAbstractProcessHandler {

        private final ChildListener listener;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        Handler(final ChildListener listener) {
            this.listener = listener;
        }

        @Override
        public void onStdout(final ByteBuffer buffer, final boolean closed) {
            lines(buffer, closed, stdout, false);
        }

        @Override
        public void onStderr(final ByteBuffer buffer, final boolean closed) {
            lines(buffer, closed, stderr, true);
        }

        @Override
        public void onExit(final int statusCode) {
            listener.onExit(statusCode);
        }

        private void lines(final ByteBuffer buffer, final boolean closed, final ByteArrayOutputStream partial, final boolean isStderr) {
            while (buffer.hasRemaining()) {
                final byte b = buffer.get();
                if (b == '\n' || b == '\r') {
                    flush(partial, isStderr);
                } else {
                    partial.write(b);
                }
            }
            if (closed) {
                flush(partial, isStderr);
            }
        }

        private void flush(final ByteArrayOutputStream partial, final boolean isStderr) {
            if (partial.size() > 0) {
                listener.onOutputLine(new String(partial.toByteArray(), StandardCharsets.UTF_8), isStderr);
                partial.reset();
            }
        }
    }

    /** A NuProcess child with SIGINT added through libc. */
    private static final class NuChild implements ChildProcess {

        private final NuProcess process;

        NuChild(final NuProcess process) {
            this.process = process;
        }

        @Override
        public long pid() {
            return process.getPID();
        }

        @Override
        public void interrupt() {
            Signals.send(process.getPID(), Signals.SIGINT);
        }

        @Override
        public void terminate() {
            process.destroy(false);
        }

        @Override
        public void kill() {
            process.destroy(true);
        }

        @Override
        public boolean isRunning() {
            return process.isRunning();
        }
    }
}
