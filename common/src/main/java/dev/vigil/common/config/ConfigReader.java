package dev.vigil.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Typed reads of the keys under one root that collect every problem instead of failing at the
 * first: the checks Typesafe's {@code checkValid} cannot do (formats, ranges, relations). A read
 * that fails records a one-line problem naming the key (and its variable) and returns {@code null}.
 * No problem line ever contains a value.
 */
public final class ConfigReader {

    private final Config config;
    private final EnvironmentLayer names;
    private final List<String> problems = new ArrayList<>();

    public ConfigReader(final Config config, final EnvironmentLayer names) {
        this.config = config;
        this.names = names;
    }

    /** The raw config under the root, for reads this class does not offer. */
    public Config config() {
        return config.getConfig(names.root());
    }

    /** Records a problem with {@code path}: "{@code <root>.<path> (VAR): <what>}". */
    public void problem(final String path, final String what) {
        problems.add(names.describe(path) + ": " + what);
    }

    /** Records a problem that concerns several keys, as it is written. */
    public void problemLine(final String line) {
        problems.add(line);
    }

    /** Every problem so far. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws with every problem, if there are any. */
    public void throwIfAny() throws ConfigProblemsException {
        if (!problems.isEmpty()) {
            throw new ConfigProblemsException(problems);
        }
    }

    public boolean has(final String path) {
        return config.hasPath(full(path));
    }

    public String string(final String path) {
        return read(path, () -> config.getString(full(path)), "must be a string");
    }

    /** A string that must not be empty or blank. */
    public String nonBlank(final String path) {
        final String value = string(path);
        if (value != null && value.isBlank()) {
            problem(path, "must not be empty");
            return null;
        }
        return value;
    }

    public Boolean bool(final String path) {
        return read(path, () -> config.getBoolean(full(path)), "must be true or false");
    }

    /** A whole number of at least {@code min}. */
    public Integer atLeast(final String path, final int min) {
        final Integer value = read(path, () -> config.getInt(full(path)), "must be a whole number");
        if (value != null && value < min) {
            problem(path, "must be at least " + min);
            return null;
        }
        return value;
    }

    /** A TCP port, 1-65535, or 0 as well when {@code zeroPicksOne} (a free port is picked). */
    public Integer port(final String path, final boolean zeroPicksOne) {
        final int min = zeroPicksOne ? 0 : 1;
        final Integer port = read(path, () -> config.getInt(full(path)), "must be a port number");
        if (port != null && (port < min || port > 65535)) {
            problem(path, "must be a port number from " + min + " to 65535");
            return null;
        }
        return port;
    }

    /** A number at least {@code min} and below {@code below}. */
    public Double fraction(final String path, final double min, final double below) {
        final Double value = read(path, () -> config.getDouble(full(path)), "must be a number");
        if (value != null && (value < min || value >= below)) {
            problem(path, "must be at least " + min + " and below " + below);
            return null;
        }
        return value;
    }

    /** A size such as {@code 1 MiB}. */
    public Long bytes(final String path) {
        return read(path, () -> config.getBytes(full(path)), "must be a size such as 64KiB or 1MiB");
    }

    /** A duration of zero or more. */
    public Duration duration(final String path) {
        final Duration value = read(path, () -> config.getDuration(full(path)), "must be a duration such as 30s or 2m");
        if (value != null && value.isNegative()) {
            problem(path, "must not be negative");
            return null;
        }
        return value;
    }

    /** A duration longer than zero. */
    public Duration positive(final String path) {
        final Duration value = duration(path);
        if (value != null && value.isZero()) {
            problem(path, "must be longer than zero");
            return null;
        }
        return value;
    }

    public List<String> stringList(final String path) {
        return read(path, () -> config.getStringList(full(path)), "must be a list of strings");
    }

    public ConfigObject object(final String path) {
        return read(path, () -> config.getObject(full(path)), "must be an object");
    }

    private String full(final String path) {
        return names.root() + "." + path;
    }

    private <T> T read(final String path, final Supplier<T> read, final String expectation) {
        try {
            return read.get();
        } catch (final ConfigException.Missing e) {
            problem(path, "is missing");
        } catch (final ConfigException e) {
            problem(path, expectation);
        }
        return null;
    }

    /** True when any of {@code values} is null (a read that failed). */
    public static boolean anyNull(final Object... values) {
        for (final Object value : values) {
            if (value == null) {
                return true;
            }
        }
        return false;
    }
}
