package dev.vigil.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Motion-triggered streaming (see {@code vigil.agent.motion} in reference.conf).
 *
 * @param enabled       motion mode at start-up, unless the mode file says otherwise
 * @param watchPipeline the watch template under {@code <pipeline dir>/watch/}; empty for the
 *                      streaming template's own {@code # watch} line
 * @param watchParams   values for the watch template's parameters
 * @param width         frames are scaled to this width for motioncells
 * @param framerate     and thinned to this many per second
 * @param sensitivity   motioncells {@code sensitivity}
 * @param minArea       motioncells {@code threshold}: the smallest moving fraction of the picture
 * @param minFrames     motioncells {@code minimummotionframes}
 * @param gap           motioncells {@code gap}: motion has ended after this long without any
 * @param cooldown      the least time between two motion events
 * @param streamLease   the lease of a stream that motion starts or extends
 * @param modeFile      where the mode switched at run time is kept
 */
public record MotionSettings(boolean enabled, String watchPipeline, Map<String, String> watchParams, int width,
                             int framerate, double sensitivity, double minArea, int minFrames, Duration gap,
                             Duration cooldown, Duration streamLease, Path modeFile) {

    public MotionSettings {
        watchParams = Map.copyOf(watchParams);
    }
}
