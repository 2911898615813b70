package dev.vigil.agent;

import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.pipeline.ElementChecker;
import dev.vigil.agent.pipeline.LaunchSpecs;
import dev.vigil.agent.pipeline.PipelineException;
import dev.vigil.agent.pipeline.PipelineTemplate;
import dev.vigil.agent.supervise.LaunchSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/** The one-shot commands: {@code --dry-run} and {@code --list-pipelines}. They print to stdout and return an exit code. */
final class Tools {

    /** The elements that only motion detection uses: without them the agent streams, but cannot watch. */
    private static final Set<String> MOTION_ELEMENTS = Set.of("motioncells");

    private Tools() {
    }

    static int dryRun(final AgentSettings settings, final LaunchSpecs launchSpecs, final PrintStream out) {
        final LaunchSpec stream;
        final LaunchSpec watch;
        try {
            stream = launchSpecs.streamWithBranches();
            watch = launchSpecs.canWatch() ? launchSpecs.watchForDryRun() : null;
        } catch (final PipelineException e) {
            out.println("cannot render the pipelines: " + e.getMessage());
            return 1;
        }
        out.println("pipeline " + settings.pipeline().name() + " (" + settings.pipeline().templateFile() + ")"
                + (launchSpecs.template().tap() == null ? "" : ", with its snapshot and motion branches"));
        out.println(stream.maskedCommandLine());
        final List<ElementChecker.Missing> missing;
        final List<ElementChecker.Missing> missingForMotion;
        try {
            missing = ElementChecker.missing(stream.argv(), settings.pipeline().gstInspect());
            if (watch == null) {
                out.println("no watch template: motion mode and snapshots at idle are not available"
                        + " (name one with '# watch' in the template or motion.watch-pipeline)");
                missingForMotion = List.of();
            } else {
                out.println("watch pipeline " + PipelineTemplate.WATCH_DIR + "/" + launchSpecs.watchTemplate().name()
                        + " (motion mode " + (settings.motion().enabled() ? "on" : "off") + " at start-up)");
                out.println(watch.maskedCommandLine());
                missingForMotion = ElementChecker.missing(watch.argv(), settings.pipeline().gstInspect());
            }
        } catch (final IOException e) {
            out.println("cannot check the elements: " + e.getMessage() + " (is gstreamer1.0-tools installed?)");
            return 1;
        }
        final Set<String> elements = new LinkedHashSet<>(ElementChecker.elements(stream.argv()));
        if (watch != null) {
            elements.addAll(ElementChecker.elements(watch.argv()));
        }
        final Set<ElementChecker.Missing> all = new LinkedHashSet<>(missing);
        all.addAll(missingForMotion);
        if (all.isEmpty()) {
            out.println("all " + elements.size() + " elements are installed: " + String.join(", ", elements));
            return 0;
        }
        all.forEach(m -> out.println(m.toString()));
        final boolean motionOnly = missing.stream().allMatch(m -> MOTION_ELEMENTS.contains(m.element()))
                && missingForMotion.stream().allMatch(m -> MOTION_ELEMENTS.contains(m.element()));
        if (motionOnly && !settings.motion().enabled()) {
            out.println("motion mode is off, so the agent streams without them; motion-on needs them");
            return 0;
        }
        return 1;
    }

    static int listPipelines(final AgentSettings settings, final PrintStream out) {
        try {
            for (final String name : PipelineTemplate.namesIn(settings.pipeline().dir())) {
                final PipelineTemplate template = PipelineTemplate.read(settings.pipeline().dir().resolve(name + ".pipeline"));
                out.println(name + (name.equals(settings.pipeline().name()) ? " (selected)" : ""));
                out.println("    " + template.description());
                for (final Map.Entry<String, String> param : template.defaults().entrySet()) {
                    if (!"url".equals(param.getKey())) {
                        out.println("    " + param.getKey() + " = " + (template.isRequired(param.getKey()) ? "(required)" : param.getValue()));
                    }
                }
            }
            return 0;
        } catch (final IOException | PipelineException e) {
            out.println("cannot list " + settings.pipeline().dir() + ": " + e.getMessage());
            return 1;
        }
    }
}
