package dev.vigil.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one way both jars load their configuration, strongest layer first: {@code -D} system
 * properties, the environment, the operator's file ({@code -Dconfig.file}), reference.conf. The
 * result is checked against reference.conf (every key there, of the right kind) before anything reads it.
 */
public final class LayeredConfig {

    private LayeredConfig() {
    }

    /**
     * Loads and checks the stack.
     *
     * @param environment the environment layer, made from the files below it (reference.conf and the
     *                    operator's file), which a variable may need to find its key
     * @param normalise   applied to each layer before they are merged, e.g. to read an old key's form
     * @param names       names the keys (and their variables) in problem lines
     * @param freeForm    keys under the root that hold objects of the operator's own entries (see {@link #checkValid})
     */
    public static Config load(final Function<Config, Config> environment, final UnaryOperator<Config> normalise,
                              final EnvironmentLayer names, final String... freeForm) throws ConfigProblemsException {
        final Config config;
        try {
            ConfigFactory.invalidateCaches();
            final Config files = normalise.apply(ConfigFactory.defaultApplication()).withFallback(ConfigFactory.defaultReference());
            config = normalise.apply(ConfigFactory.systemProperties())
                    .withFallback(normalise.apply(environment.apply(files)))
                    .withFallback(files)
                    .resolve();
        } catch (final ConfigException e) {
            throw new ConfigProblemsException(List.of(oneLine(e)));
        }
        checkValid(config, names, freeForm);
        return config;
    }

    /**
     * Checks {@code config} against reference.conf under the module's root: every key there must be
     * present and of the same kind (object, list, or a value). Typesafe reads values from text, so
     * formats (a port, a duration) are left to the typed reads of {@link ConfigReader}.
     *
     * @param freeForm keys under the root whose objects hold the operator's own entries (robots by id,
     *                 users by name): they must be objects, but reference.conf's example entries in them
     *                 are not required (an operator may drop them with {@code key = null})
     */
    public static void checkValid(final Config config, final EnvironmentLayer names, final String... freeForm)
            throws ConfigProblemsException {
        Config reference = ConfigFactory.defaultReference();
        for (final String path : freeForm) {
            reference = reference.withValue(names.root() + "." + path, ConfigValueFactory.fromMap(Map.of()));
        }
        try {
            config.checkValid(reference, names.root());
        } catch (final ConfigException.ValidationFailed e) {
            final List<String> problems = new ArrayList<>();
            for (final ConfigException.ValidationProblem problem : e.problems()) {
                final String path = problem.path().startsWith(names.root() + ".")
                        ? problem.path().substring(names.root().length() + 1) : problem.path();
                problems.add(names.describe(path) + ": " + (problem.problem().startsWith("No setting")
                        ? "is missing" : "has the wrong kind of value (" + expectation(problem.problem()) + ")"));
            }
            throw new ConfigProblemsException(problems);
        } catch (final ConfigException e) {
            throw new ConfigProblemsException(List.of(oneLine(e)));
        }
    }

    /** "expecting: X but got: Y" from a Typesafe problem (it names kinds, never values). */
    private static String expectation(final String problem) {
        final int at = problem.indexOf("expecting:");
        return at < 0 ? problem : problem.substring(at);
    }

    /** A Typesafe Config error on one line, without the offending text (it may be a secret). */
    public static String oneLine(final ConfigException e) {
        final String origin = e.origin() == null ? "configuration" : e.origin().description();
        return "cannot read " + origin + ": " + (e instanceof ConfigException.Parse ? "syntax error"
                : e instanceof ConfigException.IO ? "no such file or not readable" : e.getClass().getSimpleName());
    }
}
