package dev.vigil.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dry-run} of the real jar on a GStreamer that lacks motioncells (every system plugin but
 * gstreamer1.0-opencv's, through GST_PLUGIN_SYSTEM_PATH_1_0 and a registry of its own): it names the
 * package, fails with motion mode on, and lets the agent stream with motion mode off.
 */
class DryRunIT {

    private static Path pluginsWithoutOpencv(final Path dir) throws IOException {
        final Path plugins = Files.createDirectories(dir.resolve("plugins"));
        final Path system = Files.list(Path.of("/usr/lib")).filter(p -> Files.isDirectory(p.resolve("gstreamer-1.0")))
                .map(p -> p.resolve("gstreamer-1.0")).findFirst().orElseThrow();
        try (Stream<Path> files = Files.list(system)) {
            for (final Path plugin : files.filter(p -> p.getFileName().toString().endsWith(".so")).toList()) {
                if (!plugin.getFileName().toString().equals("libgstopencv.so")) {
                    Files.createSymbolicLink(plugins.resolve(plugin.getFileName()), plugin);
                }
            }
        }
        return plugins;
    }

    private static ManagedProcess dryRun(final Path dir, final boolean motion) throws IOException {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("GST_PLUGIN_SYSTEM_PATH_1_0", pluginsWithoutOpencv(dir).toString());
        env.put("GST_REGISTRY_1_0", dir.resolve("registry.bin").toString());
        env.put("AGENT_PIPELINE", "testsrc");
        env.put("AGENT_PIPELINES_DIR", Java.repoRoot().resolve("pipelines").toString());
        env.put("AGENT_MOTION", Boolean.toString(motion));
        return ManagedProcess.start(List.of(Java.binary(), "-jar", Path.of("target", "vigil-agent.jar").toAbsolutePath().toString(),
                "--dry-run"), env, dir);
    }

    @Test
    void dryRun_namesOpencvPackage_andFails_whenMotionIsOnWithoutMotioncells(@TempDir final Path dir) throws Exception {
        try (ManagedProcess agent = dryRun(dir, true)) {
            assertEquals(1, agent.awaitExit(Duration.ofSeconds(60)), String.join("\n", agent.lines()));
            assertTrue(agent.anyLineContains("element 'motioncells' is missing: install gstreamer1.0-opencv"),
                    String.join("\n", agent.lines()));
            assertTrue(agent.anyLineContains("watch pipeline watch/testsrc (motion mode on at start-up)"));
        }
    }

    @Test
    void dryRun_namesOpencvPackage_butPasses_whenMotionIsOff(@TempDir final Path dir) throws Exception {
        try (ManagedProcess agent = dryRun(dir, false)) {
            assertEquals(0, agent.awaitExit(Duration.ofSeconds(60)), String.join("\n", agent.lines()));
            assertTrue(agent.anyLineContains("element 'motioncells' is missing: install gstreamer1.0-opencv"));
            assertTrue(agent.anyLineContains("motion mode is off, so the agent streams without them"));
        }
    }
}
