package dev.vigil.agent.config;

import java.util.List;

/** A configuration that cannot run, with every problem found (one line each, no secret in any). */
public final class ConfigProblemsException extends Exception {

    private final List<String> problems;

    public ConfigProblemsException(final List<String> problems) {
        super(problems.size() + " configuration problem(s): " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem. */
    public List<String> problems() {
        return problems;
    }
}
