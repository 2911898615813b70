package dev.vigil.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testkit.Java;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dependency list is the truth: every element of every template in {@code pipelines/} exists
 * after the README's install step, the Debian package that {@code --dry-run} names for it is the one
 * that really ships its plugin ({@code gst-inspect-1.0} gives the file, {@code dpkg -S} its package),
 * and the install step ({@code scripts/lib.sh}) installs that package.
 */
class TemplateElementsIT {

    private static final Pattern FILENAME = Pattern.compile("^\\s*Filename\\s+(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern APT_LIST = Pattern.compile("VIGIL_APT_PACKAGES=\\(([^)]*)\\)");

    static Stream<String> elements() throws Exception {
        final Set<String> elements = new TreeSet<>();
        final Path dir = Java.repoRoot().resolve("pipelines");
        for (final String name : PipelineTemplate.namesIn(dir)) {
            final PipelineTemplate template = PipelineTemplate.read(dir.resolve(name + ".pipeline"));
            elements.addAll(ElementChecker.elements(
                    TemplateRenderer.render(template, Map.of(), "rtmp://127.0.0.1/live/stream", "gst-launch-1.0")));
        }
        final List<Branches.Branch> branches = List.of(Branches.motion(PipelineRenderingTest.motion()),
                Branches.snapshot(PipelineRenderingTest.snapshot(Path.of("/run/vigil-agent/snapshots"))));
        for (final String name : PipelineTemplate.namesIn(dir.resolve(PipelineTemplate.WATCH_DIR))) {
            final PipelineTemplate watch = PipelineTemplate.readWatch(dir.resolve(PipelineTemplate.WATCH_DIR).resolve(name + ".pipeline"));
            elements.addAll(ElementChecker.elements(TemplateRenderer.render(watch, Map.of(), null, "gst-launch-1.0", branches)));
        }
        return elements.stream();
    }

    @Test
    void templates_useElements_atAll() throws Exception {
        final List<String> all = elements().toList();
        assertTrue(all.containsAll(List.of("videotestsrc", "x264enc", "clockoverlay", "rtspclientsink", "srtsink", "motioncells",
                "jpegenc")), all.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elements")
    void element_isShippedByTheNamedPackage_whichTheInstallStepInstalls(final String element) throws Exception {
        final String named = ElementChecker.packageOf(element);
        assertNotNull(named, "a template uses '" + element + "', for which ElementChecker names no Debian package");
        assertTrue(installList().contains(named),
                "'" + element + "' comes from " + named + ", which scripts/lib.sh (VIGIL_APT_PACKAGES) does not install");

        // An element that its plugin registers only with the hardware present is found through its plugin.
        final String plugin = ElementChecker.deviceProbedPlugin(element);
        final String inspected = run("gst-inspect-1.0", plugin != null ? plugin : element);
        final Matcher file = FILENAME.matcher(inspected);
        assertTrue(file.find(), "gst-inspect-1.0 does not know '" + (plugin != null ? plugin : element)
                + "' after the install step:\n" + inspected);
        final Path real = Path.of(file.group(1)).toRealPath();
        final String owner = run("dpkg", "-S", real.toString()).lines().findFirst().orElse("");
        assertEquals(named, owner.substring(0, Math.max(0, owner.indexOf(':'))),
                "'" + element + "' is in " + real + ", which dpkg says is from: " + owner);
    }

    private static List<String> installList() throws IOException {
        final String lib = Files.readString(Java.repoRoot().resolve("scripts/lib.sh"), StandardCharsets.UTF_8);
        final Matcher list = APT_LIST.matcher(lib);
        assertTrue(list.find(), "scripts/lib.sh has no VIGIL_APT_PACKAGES=( ... )");
        final List<String> packages = new ArrayList<>();
        for (final String line : list.group(1).split("\n")) {
            final String code = line.replaceAll("#.*", "").strip();
            if (!code.isEmpty()) {
                packages.addAll(Arrays.asList(code.split("\\s+")));
            }
        }
        assertFalse(packages.isEmpty());
        return packages;
    }

    private static String run(final String... argv) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", argv) + " did not finish");
        return out;
    }
}
