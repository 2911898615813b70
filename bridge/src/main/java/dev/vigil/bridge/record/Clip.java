package dev.vigil.bridge.record;

import java.time.Instant;

/**
 * A recorded span of a robot's stream, as the relay's playback server lists it.
 *
 * @param start    when it begins
 * @param duration how long it is, in seconds
 */
public record Clip(Instant start, double duration) {
}
