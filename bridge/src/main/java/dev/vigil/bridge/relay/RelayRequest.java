package dev.vigil.bridge.relay;

/**
 * MediaMTX's question to {@code /relay/auth}.
 *
 * @param action what the client wants
 * @param path   the relay path, such as {@code live/stream}
 * @param user   the user the client gave, or {@code null}
 * @param secret the password or token the client gave, or {@code null}; never logged
 * @param key    a view's relay key the client gave as {@code ?key=}, or {@code null}; never logged
 * @param client the client's address as the relay reports it ({@code ip}): logged, and counted by
 *               the throttle like an HTTP client's
 * @param relay  the name of the relay that asks ({@code ?relay=} on its auth address), or {@code null}
 */
public record RelayRequest(RelayAction action, String path, String user, String secret, String key, String client,
                           String relay) {

    @Override
    public String toString() {
        return "RelayRequest[action=" + action + ", path=" + path + ", user=" + user + ", client=" + client + ", relay=" + relay + "]";
    }
}
