package dev.vigil.agent.config;

import java.nio.file.Path;
import java.util.Map;

/** Which template to render, where the templates are, and the parameter values the operator set. */
public record PipelineSettings(String name, Path dir, Map<String, String> params, String gstLaunch, String gstInspect) {

    /** The template file. */
    public Path templateFile() {
        return dir.resolve(name + ".pipeline");
    }
}
