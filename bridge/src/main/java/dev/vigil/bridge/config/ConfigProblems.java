package dev.vigil.bridge.config;

import java.util.List;

/** Thrown when the configuration has problems; lists all of them, never a secret's value. */
public final class ConfigProblems extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /** Creates the exception for the given one-line problems. */
    public ConfigProblems(final List<String> problems) {
        super("invalid configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one line each. */
    public List<String> problems() {
        return problems;
    }
}
