package dev.vigil.bridge.relay;

/**
 * MediaMTX's question to {@code /relay/auth}.
 *
 * @param action what the client wants
 * @param path   the relay path, such as {@code live/stream}
 * @param user   the user the client gave, or {@code null}
 * @param secret the password or token the client gave, or {@code null}; never logged
 * @param lease  a view lease id the client gave, or {@code null}
 * @param client the client's address as the relay reports it, for logs
 * @param relay  the name of the relay that asks ({@code ?relay=} on its auth address), or {@code null}
 */
public record RelayRequest(RelayAction action, String path, String user, String secret, String lease, String client,
                           String relay) {

    @Override
    public String toString() {
        return "RelayRequest[action=" + action + ", path=" + path + ", user=" + user + ", client=" + client + ", relay=" + relay + "]";
    }
}
