package dev.vigil.bridge.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real gst-launch-1.0 publishing a test pattern to an RTMP URL. */
final class Gst implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Gst(final Process process, final Path log) {
        this.process = process;
        this.log = log;
    }

    static Gst publish(final String url) throws IOException {
        return start(List.of("gst-launch-1.0", "-e", "videotestsrc", "is-live=true", "!", "video/x-raw,width=320,height=240,framerate=15/1",
                "!", "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=15", "!", "h264parse", "!",
                "flvmux", "streamable=true", "!", "rtmpsink", "location=" + url));
    }

    private static Gst start(final List<String> argv) throws IOException {
        final Path log = Files.createTempFile("vigil-bridge-gst", ".log");
        final Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Gst(process, log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
