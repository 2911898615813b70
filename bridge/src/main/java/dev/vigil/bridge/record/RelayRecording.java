package dev.vigil.bridge.record;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Instant;

/** The relay's recording: switched per path, listed, served ({@link RelayRecorder}; a fake in unit tests). */
public interface RelayRecording {

    /** Switches recording of {@code path} on or off. */
    void record(String path, boolean on) throws RelayRecordingException;

    /**
     * The recorded spans of {@code path}, oldest first (none when it has no recordings), and the segments
     * that the relay cannot read, which the list goes around.
     */
    ClipList clips(String path) throws RelayRecordingException;

    /** The MP4 of {@code path} from {@code start} for {@code seconds}; the caller closes the body. */
    HttpResponse<InputStream> open(String path, Instant start, double seconds) throws RelayRecordingException;
}
