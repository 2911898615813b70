package dev.vigil.agent.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    void read_ignoresBlankLines() {
        assertNull(output.read("  \u001B[0m "));
    }
}
