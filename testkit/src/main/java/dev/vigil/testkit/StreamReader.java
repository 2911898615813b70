package dev.vigil.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real viewer: {@code gst-launch-1.0} reads an RTMP, RTSP (over UDP or TCP) or SRT URL through
 * the relay, decodes the H.264 video and hands each decoded frame to a verbose fakesink; this class
 * counts those frames. Until the stream exists the reader is relaunched every half second, so it
 * can be opened before the robot starts publishing. Credentials go in the URL, as a phone app
 * sends them ({@code rtsp://user:pass@host/path}, {@code rtmp://host/path?user=..&pass=..}).
 */
public final class StreamReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
    private static final Pattern WIDTH = Pattern.compile("video/x-raw.*width=\\(int\\)(\\d+), height=\\(int\\)(\\d+)");
    private static final long RELAUNCH_DELAY_MS = 500;

    private static final int KEPT_ERRORS = 20;

    private final String url;
    private final List<String> source;
    private final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicInteger width = new AtomicInteger();
    private final AtomicInteger height = new AtomicInteger();
    private final AtomicInteger launches = new AtomicInteger();
    private final Thread loop;
    private volatile boolean closed;
    private volatile Process current;

    private StreamReader(final String url, final List<String> source) {
        this.url = url;
        this.source = List.copyOf(source);
        this.loop = new Thread(this::run, "stream-reader");
        this.loop.setDaemon(true);
    }

    /** Starts reading {@code url}: {@code rtmp://}, {@code rtsp://} (UDP, then TCP, as rtspsrc tries) or {@code srt://}. */
    public static StreamReader open(final String url) {
        if (url.startsWith("rtsp://")) {
            return start(url, rtsp(url, "udp+tcp"));
        }
        if (url.startsWith("srt://")) {
            return start(url, List.of("srtsrc", "uri=" + url, "!", "tsdemux", "!", "queue", "!", "h264parse"));
        }
        return start(url, List.of("rtmpsrc", "location=" + url + " live=1", "!", "flvdemux", "name=d", "d.video",
                "!", "queue", "!", "h264parse"));
    }

    /** Starts reading an {@code rtsp://} URL over RTP on UDP only. */
    public static StreamReader openRtspUdp(final String rtspUrl) {
        return start(rtspUrl, rtsp(rtspUrl, "udp"));
    }

    /** Starts reading an {@code rtsp://} URL interleaved in the RTSP TCP connection only. */
    public static StreamReader openRtspTcp(final String rtspUrl) {
        return start(rtspUrl, rtsp(rtspUrl, "tcp"));
    }

    private static List<String> rtsp(final String url, final String protocols) {
        return List.of("rtspsrc", "location=" + url, "protocols=" + protocols, "latency=0",
                "!", "rtph264depay", "!", "h264parse");
    }

    private static StreamReader start(final String url, final List<String> source) {
        final StreamReader reader = new StreamReader(url, source);
        reader.loop.start();
        return reader;
    }

    private void run() {
        while (!closed) {
            final List<String> argv = new ArrayList<>(List.of("gst-launch-1.0", "-v"));
            argv.addAll(source);
            argv.addAll(List.of("!", "avdec_h264", "!", "fakesink", "silent=false", "sync=false"));
            try {
                final Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
                current = process;
                launches.incrementAndGet();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    boolean detail = false;
                    while ((line = out.readLine()) != null) {
                        if (line.contains("fakesink") && line.contains("chain")) {
                            frames.incrementAndGet();
                        } else if (line.startsWith("ERROR") || detail) {
                            keepError(line);
                            detail = false;
                        } else if (line.startsWith("Additional debug info")) {
                            detail = true;
                        } else if (width.get() == 0) {
                            final Matcher size = WIDTH.matcher(line);
                            if (size.find()) {
                                width.set(Integer.parseInt(size.group(1)));
                                height.set(Integer.parseInt(size.group(2)));
                            }
                        }
                    }
                }
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (final IOException e) {
                LOG.warn("stream reader cannot run gst-launch-1.0: {}", e.getMessage());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!closed) {
                Sleep.millis(RELAUNCH_DELAY_MS);
            }
        }
    }

    private void keepError(final String line) {
        errors.add(line.replace(url, "<url>"));
        while (errors.size() > KEPT_ERRORS) {
            errors.remove(0);
        }
    }

    /** The last error lines the reader printed (why it could not read), with the URL left out. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Video frames decoded so far. */
    public long frames() {
        return frames.get();
    }

    /** The decoded width, 0 until known. */
    public int width() {
        return width.get();
    }

    /** The decoded height, 0 until known. */
    public int height() {
        return height.get();
    }

    /** How many reader processes were launched (one per connection attempt). */
    public int launches() {
        return launches.get();
    }

    /** True while a reader process runs. */
    public boolean isRunning() {
        final Process process = current;
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        closed = true;
        final Process process = current;
        if (process != null) {
            // SIGINT, as a player that is closed: gst-launch sets the pipeline to NULL and rtspsrc sends
            // TEARDOWN. Killed at once, an RTSP-over-UDP reader would hold the relay's path until
            // MediaMTX times the session out.
            Processes.signal(process.pid(), "INT");
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroy();
                }
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        loop.interrupt();
        try {
            loop.join(3000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
