package dev.vigil.agent.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.agent.motion.MotionSignal;
import dev.vigil.agent.snapshot.SnapshotFiles;
import dev.vigil.protocol.Snapshots;
import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped test-pattern watch template with the agent's motion and snapshot branches, run by the
 * real gst-launch-1.0 -m with the real motioncells: the moving ball gives a motion signal, a still
 * pattern none, and the snapshot branch keeps a whole JPEG of at most 100 KiB fresh.
 */
class MotionWatchIT {

    private static final Path PIPELINES = Java.repoRoot().resolve("pipelines");

    private static ManagedProcess watch(final String pattern, final Path snapshots) throws Exception {
        final PipelineTemplate template = PipelineTemplate.readWatch(PIPELINES.resolve("watch/testsrc.pipeline"));
        final List<String> argv = TemplateRenderer.render(template, Map.of("pattern", pattern), null, "gst-launch-1.0",
                List.of(Branches.motion(PipelineRenderingTest.motion()),
                        Branches.snapshot(PipelineRenderingTest.snapshot(snapshots))));
        return ManagedProcess.start(argv, Map.of(), snapshots);
    }

    private static List<MotionSignal> signals(final ManagedProcess gst) {
        return gst.lines().stream().map(MotionSignal::parse).flatMap(Optional::stream).toList();
    }

    @Test
    void ball_givesOneMotionBegin_andKeepsASnapshotFresh(@TempDir final Path snapshots) throws Exception {
        try (ManagedProcess gst = watch("ball", snapshots)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !signals(gst).isEmpty());
            final MotionSignal first = signals(gst).get(0);
            assertEquals(MotionSignal.Kind.BEGIN, first.kind());
            assertTrue(first.area() >= 0.02, "area " + first.area());
            final SnapshotFiles files = new SnapshotFiles(snapshots, Clock.systemUTC());
            await().atMost(Duration.ofSeconds(10)).until(() -> files.newest(Duration.ofSeconds(3)).isPresent());
            final byte[] jpeg = files.newest(Duration.ofSeconds(3)).orElseThrow().jpeg();
            assertNull(Snapshots.problemWith(jpeg));
            // The ball keeps moving: motion never finishes, so there is exactly one begin.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
                    signals(gst).stream().filter(s -> s.kind() == MotionSignal.Kind.BEGIN).count() == 1
                            && signals(gst).stream().noneMatch(s -> s.kind() == MotionSignal.Kind.FINISHED));
        }
    }

    @Test
    void stillPattern_givesNoMotion(@TempDir final Path snapshots) throws Exception {
        try (ManagedProcess gst = watch("colors", snapshots)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> gst.anyLineContains("Setting pipeline to PLAYING"));
            final SnapshotFiles files = new SnapshotFiles(snapshots, Clock.systemUTC());
            await().atMost(Duration.ofSeconds(10)).until(() -> files.newest(Duration.ofSeconds(3)).isPresent());
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> signals(gst).isEmpty());
        }
    }
}
