package dev.vigil.agent.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a template into the argv of {@code gst-launch-1.0 -e -m ...}. Every value is checked first:
 * a value that could end the element it sits in and start another ({@code !}, white space, quotes,
 * {@code ,} {@code ;} {@code =} in plain parameters, {@code $}, braces, backslashes, control
 * characters) is refused, so no configuration can inject an element.
 */
public final class TemplateRenderer {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    /** Plain parameter values: numbers, names, device paths, fractions. */
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_.:/+\\-]*");
    /** The publish URL: a URL without white space, quotes, '!', '$', braces or backslashes. */
    private static final Pattern SAFE_URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*://[A-Za-z0-9_.~:/?#\\[\\]@&=%+,;\\-]*");

    private TemplateRenderer() {
    }

    /**
     * The argv for {@code template} with the operator's {@code params} and the publish {@code url}.
     *
     * @param gstLaunch the gst-launch binary
     */
    public static List<String> render(final PipelineTemplate template, final Map<String, String> params, final String url,
                                      final String gstLaunch) throws PipelineException {
        return render(template, params, url, gstLaunch, List.of());
    }

    /**
     * The argv for {@code template} with {@code branches} hung on its tap ({@code <tee>. ! <branch>});
     * {@code url} is {@code null} for a watch template, which publishes nothing.
     */
    public static List<String> render(final PipelineTemplate template, final Map<String, String> params, final String url,
                                      final String gstLaunch, final List<Branches.Branch> branches) throws PipelineException {
        if (!branches.isEmpty() && template.tap() == null) {
            throw new PipelineException("pipeline '" + template.name() + "' has no '# tap <tee>' for the "
                    + String.join(" and ", branches.stream().map(Branches.Branch::name).toList()) + " branch");
        }
        final Map<String, String> values = new LinkedHashMap<>(template.defaults());
        for (final Map.Entry<String, String> param : params.entrySet()) {
            if (!template.defaults().containsKey(param.getKey())) {
                throw new PipelineException("pipeline '" + template.name() + "' has no parameter '" + param.getKey()
                        + "' (it has: " + String.join(", ", template.defaults().keySet()) + ")");
            }
            if ("url".equals(param.getKey())) {
                throw new PipelineException("the parameter 'url' is set by the agent from the media settings");
            }
            values.put(param.getKey(), param.getValue());
        }
        if (url != null) {
            values.put("url", url);
        }
        for (final Map.Entry<String, String> value : values.entrySet()) {
            check(template, value.getKey(), value.getValue());
        }
        final Matcher placeholders = PLACEHOLDER.matcher(template.body());
        final StringBuilder rendered = new StringBuilder();
        while (placeholders.find()) {
            placeholders.appendReplacement(rendered, Matcher.quoteReplacement(values.get(placeholders.group(1))));
        }
        placeholders.appendTail(rendered);
        for (final Branches.Branch branch : branches) {
            rendered.append(' ').append(template.tap()).append(". ! ").append(branch.text());
        }
        final List<String> argv = new ArrayList<>();
        argv.add(gstLaunch);
        argv.add("-e");
        // -m prints the bus messages, among them the pipeline's move to PLAYING: the supervisor's sign of media.
        argv.add("-m");
        argv.addAll(ArgvTokenizer.tokenize(rendered.toString()));
        return List.copyOf(argv);
    }

    private static void check(final PipelineTemplate template, final String name, final String value) throws PipelineException {
        if (PipelineTemplate.REQUIRED.equals(value)) {
            throw new PipelineException("pipeline '" + template.name() + "' needs a value for parameter '" + name + "'");
        }
        if ("url".equals(name)) {
            if (!SAFE_URL.matcher(value).matches()) {
                throw new PipelineException("the publish URL is not a plain URL (white space, quotes, '!', '$', braces"
                        + " and backslashes are refused)");
            }
        } else if (value.isEmpty() || !SAFE_VALUE.matcher(value).matches()) {
            throw new PipelineException("parameter '" + name + "' of pipeline '" + template.name()
                    + "' must be letters, digits and . : / + - _ only (refused: " + describe(value) + ")");
        }
    }

    private static String describe(final String value) {
        if (value.isEmpty()) {
            return "an empty value";
        }
        final StringBuilder out = new StringBuilder("'");
        value.codePoints().limit(30).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.append(value.length() > 30 ? "…'" : "'").toString();
    }
}
