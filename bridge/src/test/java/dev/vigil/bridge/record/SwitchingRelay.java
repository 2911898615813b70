package dev.vigil.bridge.record;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake relay that notes each recording switch ("live/stream on") and has no clips. */
final class SwitchingRelay implements RelayRecording {

    /** Every switch, in order. */
    final List<String> switched = new CopyOnWriteArrayList<>();

    @Override
    public void record(final String path, final boolean on) {
        switched.add(path + " " + (on ? "on" : "off"));
    }

    @Override
    public ClipList clips(final String path) {
        return ClipList.empty();
    }

    @Override
    public HttpResponse<InputStream> open(final String path, final Instant start, final double seconds) {
        throw new UnsupportedOperationException();
    }
}
