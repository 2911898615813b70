package dev.vigil.common.config;

import java.util.List;

/** A configuration that cannot run, with every problem found: one line each, naming the key, never a value. */
public final class ConfigProblemsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public ConfigProblemsException(final List<String> problems) {
        super(problems.size() + " configuration problem(s): " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem. */
    public List<String> problems() {
        return problems;
    }
}
