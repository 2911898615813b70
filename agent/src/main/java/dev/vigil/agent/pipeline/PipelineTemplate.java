package dev.vigil.agent.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code pipelines/<name>.pipeline} file: comment lines, of which {@code # param name=default}
 * (or {@code # param name} for a required one) declare the parameters, and a body in gst-launch
 * syntax with {@code ${name}} placeholders.
 */
public record PipelineTemplate(String name, String description, Map<String, String> defaults, String body) {

    private static final Pattern PARAM = Pattern.compile("#\\s*param\\s+([A-Za-z][A-Za-z0-9_]*)(?:=(\\S*))?\\s*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    /** Marks a declared parameter with no default: it must be given. */
    static final String REQUIRED = "\0required";

    /** Reads and checks a template file. */
    public static PipelineTemplate read(final Path file) throws PipelineException {
        final String fileName = file.getFileName().toString();
        final String name = fileName.endsWith(".pipeline") ? fileName.substring(0, fileName.length() - ".pipeline".length()) : fileName;
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new PipelineException("cannot read pipeline template " + file + ": " + e.getClass().getSimpleName());
        }
        return parse(name, lines);
    }

    /** Parses template text; {@code name} is the template's name. */
    public static PipelineTemplate parse(final String name, final List<String> lines) throws PipelineException {
        final Map<String, String> defaults = new LinkedHashMap<>();
        final StringBuilder description = new StringBuilder();
        final StringBuilder body = new StringBuilder();
        for (final String raw : lines) {
            final String line = raw.strip();
            if (line.startsWith("#")) {
                final Matcher param = PARAM.matcher(line);
                if (param.matches()) {
                    defaults.put(param.group(1), param.group(2) == null ? REQUIRED : param.group(2));
                } else if (body.length() == 0) {
                    description.append(description.length() == 0 ? "" : " ").append(line.substring(1).strip());
                }
            } else if (!line.isEmpty()) {
                body.append(body.length() == 0 ? "" : " ").append(line);
            }
        }
        if (body.length() == 0) {
            throw new PipelineException("pipeline template '" + name + "' has no pipeline");
        }
        final Matcher placeholders = PLACEHOLDER.matcher(body);
        while (placeholders.find()) {
            if (!defaults.containsKey(placeholders.group(1))) {
                throw new PipelineException("pipeline template '" + name + "' uses ${" + placeholders.group(1)
                        + "} but declares no '# param " + placeholders.group(1) + "'");
            }
        }
        if (!defaults.containsKey("url")) {
            throw new PipelineException("pipeline template '" + name + "' declares no '# param url' (the publish URL)");
        }
        return new PipelineTemplate(name, description.toString(), Collections.unmodifiableMap(defaults), body.toString());
    }

    /** Names of the templates in {@code dir}, sorted. */
    public static List<String> namesIn(final Path dir) throws IOException {
        final List<String> names = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pipeline"))
                    .map(n -> n.substring(0, n.length() - ".pipeline".length())).sorted().forEach(names::add);
        }
        return names;
    }

    /** True when the parameter has no default. */
    public boolean isRequired(final String param) {
        return REQUIRED.equals(defaults.get(param));
    }
}
