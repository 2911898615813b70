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
 * syntax with {@code ${name}} placeholders. Two more header lines: {@code # tap <tee>} names a
 * {@code tee} of raw video in the body, on which the agent hangs its motion and snapshot branches
 * ({@link Branches}); {@code # watch <name>} names the watch template ({@code watch/<name>.pipeline})
 * of the same camera. A watch template publishes nothing (no {@code url}) and must have a tap.
 *
 * @param tap   the raw-video tee's name, or {@code null} when the template offers none
 * @param watch the watch template of this camera, or {@code null}
 */
public record PipelineTemplate(String name, String description, Map<String, String> defaults, String body, String tap,
                               String watch) {

    private static final Pattern PARAM = Pattern.compile("#\\s*param\\s+([A-Za-z][A-Za-z0-9_]*)(?:=(\\S*))?\\s*");
    private static final Pattern TAP = Pattern.compile("#\\s*tap\\s+([A-Za-z][A-Za-z0-9_]*)\\s*");
    private static final Pattern WATCH = Pattern.compile("#\\s*watch\\s+([A-Za-z0-9_\\-]+)\\s*");
    /** The folder of the watch templates, inside the pipelines folder. */
    public static final String WATCH_DIR = "watch";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    /** Marks a declared parameter with no default: it must be given. */
    static final String REQUIRED = "\0required";

    /** Reads and checks a streaming template file. */
    public static PipelineTemplate read(final Path file) throws PipelineException {
        return parse(nameOf(file), lines(file));
    }

    /** Reads and checks a watch template file (no publish URL; a tap). */
    public static PipelineTemplate readWatch(final Path file) throws PipelineException {
        return parseWatch(nameOf(file), lines(file));
    }

    private static String nameOf(final Path file) {
        final String fileName = file.getFileName().toString();
        return fileName.endsWith(".pipeline") ? fileName.substring(0, fileName.length() - ".pipeline".length()) : fileName;
    }

    private static List<String> lines(final Path file) throws PipelineException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new PipelineException("cannot read pipeline template " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** Parses streaming template text; {@code name} is the template's name. */
    public static PipelineTemplate parse(final String name, final List<String> lines) throws PipelineException {
        final PipelineTemplate template = parseAny(name, lines);
        if (!template.defaults().containsKey("url")) {
            throw new PipelineException("pipeline template '" + name + "' declares no '# param url' (the publish URL)");
        }
        return template;
    }

    /** Parses watch template text: it publishes nothing and names the tee that the agent taps. */
    public static PipelineTemplate parseWatch(final String name, final List<String> lines) throws PipelineException {
        final PipelineTemplate template = parseAny(name, lines);
        if (template.defaults().containsKey("url")) {
            throw new PipelineException("watch template '" + name + "' must not publish (it declares '# param url')");
        }
        if (template.tap() == null) {
            throw new PipelineException("watch template '" + name + "' names no '# tap <tee>' for the motion branch");
        }
        return template;
    }

    private static PipelineTemplate parseAny(final String name, final List<String> lines) throws PipelineException {
        String tap = null;
        String watch = null;
        final Map<String, String> defaults = new LinkedHashMap<>();
        final StringBuilder description = new StringBuilder();
        final StringBuilder body = new StringBuilder();
        for (final String raw : lines) {
            final String line = raw.strip();
            if (line.startsWith("#")) {
                final Matcher param = PARAM.matcher(line);
                final Matcher tapLine = TAP.matcher(line);
                final Matcher watchLine = WATCH.matcher(line);
                if (param.matches()) {
                    defaults.put(param.group(1), param.group(2) == null ? REQUIRED : param.group(2));
                } else if (tapLine.matches()) {
                    tap = tapLine.group(1);
                } else if (watchLine.matches()) {
                    watch = watchLine.group(1);
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
        if (tap != null && !Pattern.compile("(^|\\s)tee\\s+name=" + tap + "(\\s|$)").matcher(body).find()) {
            throw new PipelineException("pipeline template '" + name + "' names tap '" + tap + "' but has no 'tee name=" + tap + "'");
        }
        return new PipelineTemplate(name, description.toString(), Collections.unmodifiableMap(defaults), body.toString(),
                tap, watch);
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
