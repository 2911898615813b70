package dev.vigil.bridge.record;

import java.time.Instant;
import java.util.List;

/**
 * What the relay can play back of a robot's recordings.
 *
 * @param clips      the recorded spans, oldest first
 * @param unreadable the starts of recording segments that the relay's playback server cannot read (an
 *                   empty segment that a failed write left, e.g. on a full disk); the clips around them are listed
 */
public record ClipList(List<Clip> clips, List<Instant> unreadable) {

    public ClipList {
        clips = List.copyOf(clips);
        unreadable = List.copyOf(unreadable);
    }

    /** Nothing recorded. */
    public static ClipList empty() {
        return new ClipList(List.of(), List.of());
    }
}
