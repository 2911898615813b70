package dev.vigil.agent.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lines as gst-launch-1.0 -m 1.22 prints them for motioncells (taken from real runs). */
class MotionSignalTest {

    @Test
    void parse_readsBegin_withItsCellsAndTime() {
        final MotionSignal signal = MotionSignal.parse("Got message #53 from element \"motioncells0\" (element): motion, "
                + "motion_cells_indices=(string)\"3:4\\,3:5\\,4:4\\,4:6\\,5:6\\,6:4\\,6:5\", motion_begin=(guint64)201076177;").orElseThrow();
        assertEquals(MotionSignal.Kind.BEGIN, signal.kind());
        assertEquals(7, signal.cells());
        assertEquals(0.07, signal.area(), 1e-9);
        assertEquals(Duration.ofNanos(201076177), signal.streamTime());
    }

    @Test
    void parse_readsBegin_ofOneUnquotedCell() {
        final MotionSignal signal = MotionSignal.parse("Got message #195 from element \"motioncells0\" (element): motion, "
                + "motion_cells_indices=(string)5:5, motion_begin=(guint64)261341625;").orElseThrow();
        assertEquals(1, signal.cells());
    }

    @Test
    void parse_readsFinishedOngoingAndNoMotion() {
        assertEquals(MotionSignal.Kind.FINISHED, MotionSignal.parse("Got message #80 from element \"m\" (element): motion, "
                + "motion_finished=(guint64)4000526367;").orElseThrow().kind());
        assertEquals(MotionSignal.Kind.ONGOING, MotionSignal.parse("Got message #54 from element \"motioncells0\" (element): motion, "
                + "motion_cells_indices=(string)\"3:4\\,3:5\", motion=(guint64)400526367;").orElseThrow().kind());
        assertEquals(MotionSignal.Kind.NO_MOTION, MotionSignal.parse("Got message #53 from element \"motioncells0\" (element): motion, "
                + "no_motion=(guint64)0;").orElseThrow().kind());
    }

    @Test
    void parse_readsErrors_ofMotioncells() {
        assertEquals(MotionSignal.Kind.ERROR, MotionSignal.parse("Got message #9 from element \"motioncells0\" (element): motion, "
                + "init_error_code=(int)1, details=(string)\"cannot open file\";").orElseThrow().kind());
        assertEquals(MotionSignal.Kind.ERROR, MotionSignal.parse("Got message #9 from element \"motioncells0\" (element): motion, "
                + "motion_cells_indices=(string)error;").orElseThrow().kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Setting pipeline to PLAYING ...",
        "progressreport0 (00:00:01): 0 seconds",
        "Got message #35 from element \"motioncells0\" (state-changed): GstMessageStateChanged, old-state=(GstState)paused;",
        "Got message #181 from element \"fakesink0\" (tag): GstMessageTag, taglist=(taglist)\"taglist\\,\\ encoder\\=x264\";",
        "ERROR: from element /GstPipeline:pipeline0/GstMotioncells:motioncells0: motion, fake"})
    void parse_ignoresOtherLines(final String line) {
        assertTrue(MotionSignal.parse(line).isEmpty(), line);
    }
}
