package dev.vigil.agent;

import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.pipeline.ElementChecker;
import dev.vigil.agent.pipeline.LaunchSpecs;
import dev.vigil.agent.pipeline.PipelineException;
import dev.vigil.agent.pipeline.PipelineTemplate;
import dev.vigil.agent.supervise.LaunchSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The one-shot commands: {@code --dry-run} and {@code --list-pipelines}. They print to stdout and return an exit code. */
final class Tools {

    private Tools() {
    }

    static int dryRun(final AgentSettings settings, final LaunchSpecs launchSpecs, final PrintStream out) {
        final LaunchSpec spec = launchSpecs.get();
        out.println("pipeline " + settings.pipeline().name() + " (" + settings.pipeline().templateFile() + ")");
        out.println(spec.maskedCommandLine());
        final List<ElementChecker.Missing> missing;
        try {
            missing = ElementChecker.missing(spec.argv(), settings.pipeline().gstInspect());
        } catch (final IOException e) {
            out.println("cannot check the elements: " + e.getMessage() + " (is gstreamer1.0-tools installed?)");
            return 1;
        }
        final List<String> elements = ElementChecker.elements(spec.argv());
        if (missing.isEmpty()) {
            out.println("all " + elements.size() + " elements are installed: " + String.join(", ", elements));
            return 0;
        }
        missing.forEach(m -> out.println(m.toString()));
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
