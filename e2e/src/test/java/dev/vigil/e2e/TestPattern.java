package dev.vigil.e2e;

import dev.vigil.testkit.ManagedProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real gst-launch-1.0 publishing a 640x480 H.264 test pattern with a 1 s keyframe interval over RTMP. */
final class TestPattern {

    private TestPattern() {
    }

    static ManagedProcess publish(final String rtmpUrl) {
        return ManagedProcess.start(List.of("gst-launch-1.0", "-e", "videotestsrc", "is-live=true", "pattern=ball", "!",
                "video/x-raw,width=640,height=480,framerate=25/1", "!", "x264enc", "tune=zerolatency",
                "speed-preset=ultrafast", "key-int-max=25", "!", "video/x-h264,profile=baseline", "!", "h264parse",
                "config-interval=-1", "!", "flvmux", "streamable=true", "!", "rtmpsink", "location=" + rtmpUrl + " live=1"),
                Map.of(), Path.of("target"));
    }
}
