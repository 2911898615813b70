package dev.vigil.bridge.relay;

import dev.vigil.bridge.config.BridgeSettings;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx-rtmp's notify callbacks ({@code on_publish}, {@code on_play}, {@code on_publish_done},
 * {@code on_play_done}) as form fields in, an HTTP status out: 2xx allows, 401 denies (never 3xx,
 * which nginx-rtmp takes as a redirect). A player allowed to read a robot's path holds a view of
 * it until its {@code on_play_done}. Shared by the Helidon routes and the HTTP/1.0 listener.
 */
public final class NginxCallbacks {

    private static final Logger LOG = LoggerFactory.getLogger(NginxCallbacks.class);

    private final BridgeSettings settings;
    private final RelayAuthorizer authorizer;
    private final RelayPlayers players;

    /** Creates the handler. */
    public NginxCallbacks(final BridgeSettings settings, final RelayAuthorizer authorizer, final RelayPlayers players) {
        this.settings = settings;
        this.authorizer = authorizer;
        this.players = players;
    }

    /**
     * Answers one callback.
     *
     * @param event {@code on_publish}, {@code on_play}, {@code on_publish_done} or {@code on_play_done}
     * @param form  the posted fields
     * @return the decision; {@code null} for an unknown event
     */
    public RelayDecision handle(final String event, final Map<String, String> form) {
        return switch (event) {
            case "on_publish" -> decide(RelayAction.PUBLISH, form);
            case "on_play" -> {
                final RelayDecision decision = decide(RelayAction.READ, form);
                if (decision.allowed() && decision.robotId() != null) {
                    players.joined(playerKey(form), settings.robot(decision.robotId()).orElseThrow());
                }
                yield decision;
            }
            case "on_publish_done" -> {
                LOG.info("Relay: publisher left {}/{}", form.get("app"), form.get("name"));
                yield RelayDecision.allow(null, "publisher left");
            }
            case "on_play_done" -> {
                players.left(playerKey(form));
                yield RelayDecision.allow(null, "player left");
            }
            default -> null;
        };
    }

    private RelayDecision decide(final RelayAction action, final Map<String, String> form) {
        final String path = form.getOrDefault("app", "") + "/" + form.getOrDefault("name", "");
        final String secret = form.containsKey("pass") ? form.get("pass") : form.get("token");
        final RelayRequest request = new RelayRequest(action, path, form.get("user"), secret, form.get("lease"),
                form.get("addr"));
        final RelayDecision decision = authorizer.decide(request);
        log(request, decision);
        return decision;
    }

    /** Logs a decision (never the secret). */
    public static void log(final RelayRequest request, final RelayDecision decision) {
        final String action = request.action().name().toLowerCase(java.util.Locale.ROOT);
        if (decision.allowed()) {
            LOG.info("Relay: allowed {} of '{}' from {} ({})", action, request.path(), request.client(), decision.reason());
        } else {
            LOG.warn("Relay: refused {} of '{}' from {}: {}", action, request.path(), request.client(), decision.reason());
        }
    }

    private static String playerKey(final Map<String, String> form) {
        return form.getOrDefault("clientid", "?") + "@" + form.getOrDefault("addr", "?") + "/"
                + form.getOrDefault("app", "") + "/" + form.getOrDefault("name", "");
    }
}
