package dev.vigil.bridge.fleet;

import com.typesafe.config.ConfigFactory;
import dev.vigil.bridge.config.BridgeSettings;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Robots, users and tokens written in {@code bridge.conf} still work, but changing them needs a
 * restart: at start-up the bridge says so once and names the commands that move them to the registry.
 */
public final class LegacyConfig {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyConfig.class);

    private LegacyConfig() {
    }

    /** Logs the suggestion when the operator's file defines robots, users or tokens. */
    public static void suggestRegistry(final BridgeSettings settings) {
        final Set<String> builtIn = ConfigFactory.defaultReference().getObject("vigil.bridge.robots").keySet();
        final long robots = settings.robots().keySet().stream().filter(id -> !builtIn.contains(id)).count();
        final int users = settings.auth().users().size();
        final int tokens = settings.auth().tokens().size();
        if (robots + users + tokens > 0) {
            LOG.info("bridge.conf defines {} robot(s), {} user(s) and {} token(s); they keep working, but the registry "
                    + "changes without a restart: `vigil-bridge robot add <id>`, `vigil-bridge user add <name> --role ...`, "
                    + "`vigil-bridge token add <name> --role ...`, then delete them from bridge.conf", robots, users, tokens);
        }
    }
}
