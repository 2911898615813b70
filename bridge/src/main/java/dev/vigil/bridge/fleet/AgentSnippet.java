package dev.vigil.bridge.fleet;

import dev.vigil.bridge.config.RelaySettings;
import dev.vigil.bridge.config.RobotSettings;

/**
 * The agent settings that {@code robot add} and {@code rotate-secret} print once: the robot's id,
 * topic, relay path, its relay's publish URL and its private publish key, as HOCON for
 * {@code /etc/vigil/agent.conf}. The relay's {@code publish-url} is split into the agent's
 * {@code media.server} (host and port) and {@code media.url-template} (with {@code {server}}).
 */
public final class AgentSnippet {

    private AgentSnippet() {
    }

    /** The snippet for {@code robot} on {@code relay} with {@code privateKey}. */
    public static String of(final RobotSettings robot, final RelaySettings relay, final String privateKey) {
        final String[] serverAndTemplate = split(relay.publishUrl());
        return """
                # Agent settings of robot %1$s (relay %2$s): put them in /etc/vigil/agent.conf on the robot,
                # beside the broker's host, user and password. The private key below is shown this once;
                # the bridge keeps only its public key. `vigil-bridge robot rotate-secret %1$s` replaces it.
                vigil.agent {
                  robot-id = %3$s
                  mqtt.topic = %4$s
                  media {
                    server = %5$s
                    path = %6$s
                    url-template = %7$s
                    token-auth = true
                    publish-password = %8$s
                  }
                }
                """.formatted(robot.id(), relay.name(), quote(robot.id()), quote(robot.baseTopic()),
                quote(serverAndTemplate[0]), quote(robot.relayPath()), quote(serverAndTemplate[1]), quote(privateKey));
    }

    /** {@code scheme://[user:pass@]host[:port]/rest} as {host[:port], scheme://[user:pass@]{server}/rest}. */
    static String[] split(final String url) {
        final int scheme = url.indexOf("://");
        final int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        final String authority = url.substring(start, end);
        final int at = authority.lastIndexOf('@');
        final String host = authority.substring(at + 1);
        return new String[] {host, url.substring(0, start + at + 1) + "{server}" + url.substring(end)};
    }

    private static String quote(final String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
