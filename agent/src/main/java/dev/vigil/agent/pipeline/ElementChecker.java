package dev.vigil.agent.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds the GStreamer elements of an argv and asks {@code gst-inspect-1.0 --exists} for each, naming
 * the Debian package that brings a missing one. {@code TemplateElementsIT} checks every name here
 * against the package that really ships the element's plugin ({@code dpkg -S}).
 */
public final class ElementChecker {

    /** The Debian package of each element that a template in {@code pipelines/} uses. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("libcamerasrc", "gstreamer1.0-libcamera"),
            Map.entry("x264enc", "gstreamer1.0-plugins-ugly"),
            Map.entry("v4l2h264enc", "gstreamer1.0-plugins-good"),
            Map.entry("v4l2src", "gstreamer1.0-plugins-good"),
            Map.entry("flvmux", "gstreamer1.0-plugins-good"),
            Map.entry("rtmpsink", "gstreamer1.0-plugins-bad"),
            Map.entry("rtmp2sink", "gstreamer1.0-plugins-bad"),
            Map.entry("srtsink", "gstreamer1.0-plugins-bad"),
            Map.entry("h264parse", "gstreamer1.0-plugins-bad"),
            Map.entry("mpegtsmux", "gstreamer1.0-plugins-bad"),
            Map.entry("rtspclientsink", "gstreamer1.0-rtsp"),
            Map.entry("videotestsrc", "gstreamer1.0-plugins-base"),
            Map.entry("videoconvert", "gstreamer1.0-plugins-base"),
            Map.entry("clockoverlay", "gstreamer1.0-x"),
            Map.entry("progressreport", "gstreamer1.0-plugins-good"),
            Map.entry("tee", "libgstreamer1.0-0"),
            Map.entry("queue", "libgstreamer1.0-0"),
            Map.entry("fakesink", "libgstreamer1.0-0"),
            Map.entry("videorate", "gstreamer1.0-plugins-base"),
            Map.entry("videoscale", "gstreamer1.0-plugins-base"),
            Map.entry("motioncells", "gstreamer1.0-opencv"),
            Map.entry("jpegenc", "gstreamer1.0-plugins-good"),
            Map.entry("multifilesink", "gstreamer1.0-plugins-good"));

    /**
     * Elements that their plugin registers only when the hardware is there: the v4l2 plugin adds
     * {@code v4l2h264enc} for a memory-to-memory encoder device (a Raspberry Pi's /dev/video11).
     */
    private static final Map<String, String> DEVICE_PROBED = Map.of("v4l2h264enc", "video4linux2");

    private ElementChecker() {
    }

    /** A missing element and where it comes from. */
    public record Missing(String element, String debianPackage) {

        @Override
        public String toString() {
            return "element '" + element + "' is missing: install " + debianPackage;
        }
    }

    /** The Debian package that ships {@code element}, or {@code null} when it is not one the templates use. */
    public static String packageOf(final String element) {
        return PACKAGES.get(element);
    }

    /** The plugin that registers {@code element} only when its device exists, or {@code null}. */
    public static String deviceProbedPlugin(final String element) {
        return DEVICE_PROBED.get(element);
    }

    /** The element names of a gst-launch argv ({@code argv[0]} and options skipped), in order. */
    public static List<String> elements(final List<String> argv) {
        final Set<String> names = new LinkedHashSet<>();
        boolean expectElement = true;
        for (final String word : argv.subList(1, argv.size())) {
            if (word.startsWith("-") && names.isEmpty()) {
                continue;
            }
            if ("!".equals(word)) {
                expectElement = true;
            } else if (expectElement) {
                if (word.matches("[a-z][a-z0-9_\\-]*")) {
                    names.add(word);
                }
                expectElement = false;
            }
        }
        return new ArrayList<>(names);
    }

    /** The elements of {@code argv} that {@code gstInspect} does not know. */
    public static List<Missing> missing(final List<String> argv, final String gstInspect) throws IOException {
        final List<Missing> missing = new ArrayList<>();
        for (final String element : elements(argv)) {
            final Process inspect = new ProcessBuilder(gstInspect, "--exists", element).redirectErrorStream(true).start();
            inspect.getInputStream().readAllBytes();
            try {
                if (!inspect.waitFor(30, TimeUnit.SECONDS)) {
                    inspect.destroyForcibly();
                    throw new IOException(gstInspect + " did not answer for " + element);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (inspect.exitValue() != 0) {
                final String pkg = PACKAGES.getOrDefault(element, "the GStreamer plugin package that has it");
                missing.add(new Missing(element, DEVICE_PROBED.containsKey(element)
                        ? pkg + ", and a V4L2 hardware encoder must be present (no encoder device found)" : pkg));
            }
        }
        return missing;
    }
}
