package dev.vigil.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environment variables as one config layer above the operator's file ({@code ${?VAR}} lines in
 * reference.conf would lose to any value the file sets). Each variable sets one key under the root.
 */
public final class EnvironmentLayer {

    private final String root;
    private final Map<String, String> keys;

    private EnvironmentLayer(final String root, final Map<String, String> keys) {
        this.root = root;
        this.keys = Map.copyOf(keys);
    }

    /**
     * @param root           the module's root key, such as {@code vigil.agent}
     * @param variableToPath each variable and the key it sets, relative to the root
     */
    public static EnvironmentLayer of(final String root, final Map<String, String> variableToPath) {
        return new EnvironmentLayer(root, variableToPath);
    }

    /** The module's root key. */
    public String root() {
        return root;
    }

    /** Full key -> value for the variables present in {@code env}. */
    public Map<String, Object> values(final Map<String, String> env) {
        final Map<String, Object> values = new LinkedHashMap<>();
        keys.forEach((variable, path) -> {
            final String value = env.get(variable);
            if (value != null) {
                values.put(root + "." + path, value);
            }
        });
        return values;
    }

    /** The layer made of the variables present in {@code env}. */
    public Config layer(final Map<String, String> env) {
        return ConfigFactory.parseMap(values(env), "environment variables");
    }

    /** The full key of {@code path} (relative to the root), with the variable that sets it, for problem lines. */
    public String describe(final String path) {
        return root + "." + path + keys.entrySet().stream().filter(e -> e.getValue().equals(path))
                .map(e -> " (" + e.getKey() + ")").findFirst().orElse("");
    }
}
