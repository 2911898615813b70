package dev.vigil.agent.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.agent.motion.MotionSignal;
import java.util.List;
import org.junit.jupiter.api.Test;

class GstOutputTest {

    private final GstOutput output = new GstOutput(line -> line.replace("s3cret", "***"), 2);

    @Test
    void read_findsThePipelinesMoveToPlaying_andNoOtherElementsMove() {
        assertEquals(GstOutput.Kind.PLAYING, output.read(FakeLauncher.PLAYING_MESSAGE).kind());
        assertEquals(GstOutput.Kind.OTHER, output.read("Got message #94 from element \"rtmpsink0\" (state-changed):"
                + " GstMessageStateChanged, old-state=(GstState)paused, new-state=(GstState)playing,"
                + " pending-state=(GstState)void-pending;").kind());
        assertEquals(GstOutput.Kind.OTHER, output.read("Setting pipeline to PLAYING ...").kind());
    }

    @Test
    void read_stripsAnsiAndMasks_andKeepsTheLastErrorLines() {
        assertEquals(GstOutput.Kind.PROGRESS, output.read("\u001B[32mprogressreport0 (00:00:01): 0 seconds\u001B[0m").kind());
        assertEquals(GstOutput.Kind.FATAL, output.read("ERROR: from element rtmpsink0: Could not connect").kind());
        assertEquals(GstOutput.Kind.ERROR, output.read("Could not connect to RTMP stream \"rtmp://h/s?pass=s3cret\"").kind());
        assertEquals(GstOutput.Kind.ERROR, output.read("\u001B[31;1mWARNING: from element x: no such device\u001B[0m").kind());
        assertEquals(List.of("Could not connect to RTMP stream \"rtmp://h/s?pass=***\"", "WARNING: from element x: no such device"),
                output.lastErrors());
        assertEquals("it failed: Could not connect to RTMP stream \"rtmp://h/s?pass=***\" | WARNING: from element x: no such device",
                output.explain("it failed"));
    }

    @Test
    void read_keepsNoBusMessageAsAnError_sinceGstLaunchPrintsTheSameOnItsOwnLines() {
        assertEquals(GstOutput.Kind.OTHER, output.read("Got message #82 from element \"rtmpsink0\" (error): GstMessageError,"
                + " gerror=(GError)NULL, debug=(string)\"Could\\ not\\ connect\"").kind());
        assertEquals(List.of(), output.lastErrors());
        assertEquals("stopped", output.explain("stopped"));
    }

    @Test
    void read_findsMotioncellsMessages_andReadsWhatTheySay() {
        final GstOutput.Line begin = output.read("Got message #53 from element \"motioncells0\" (element): motion, "
                + "motion_cells_indices=(string)\"3:4\\,3:5\\,4:4\", motion_begin=(guint64)201076177;");
        assertEquals(GstOutput.Kind.MOTION, begin.kind());
        assertEquals(MotionSignal.Kind.BEGIN, begin.motion().orElseThrow().kind());
        assertEquals(3, begin.motion().orElseThrow().cells());
        final GstOutput.Line end = output.read("Got message #90 from element \"motioncells0\" (element): motion, "
                + "motion_finished=(guint64)5201076177;");
        assertEquals(MotionSignal.Kind.FINISHED, end.motion().orElseThrow().kind());
        final GstOutput.Line progress = output.read("Got message #91 from element \"progressreport0\" (element): progress, "
                + "percent=(int)-1, current=(gint64)2, total=(gint64)-1;");
        assertEquals(GstOutput.Kind.OTHER, progress.kind());
        assertTrue(progress.motion().isEmpty());
    }

    @Test
    void connectFailed_isTrue_onlyAfterAnErrorLineSaysTheConnectionFailed() {
        output.read("WARNING: from element libcamerasrc0: no such device");
        output.read("Got message #82 from element \"rtspclientsink0\" (error): Could\\ not\\ open\\ resource");
        assertFalse(output.connectFailed());
        output.read("ERROR: from element rtspclientsink0: Could not open resource for reading and writing.");
        assertTrue(output.connectFailed());
    }

    @Test
    void read_ignoresBlankLines() {
        assertNull(output.read("  \u001B[0m "));
    }
}
