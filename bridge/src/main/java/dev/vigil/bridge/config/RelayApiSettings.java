package dev.vigil.bridge.config;

/**
 * The relay's control API, through which an operator's stop disconnects a robot's readers
 * (MediaMTX {@code /v3/.../kick}). The relay asks {@code /relay/auth} about these requests too
 * (action {@code api}), and the bridge allows its own credential.
 *
 * @param url      the API's base URL, such as {@code http://127.0.0.1:9997}; empty: readers are not disconnected
 * @param user     the user the bridge sends
 * @param password the password the bridge sends; never logged
 */
public record RelayApiSettings(String url, String user, String password) {

    /** Whether the API is configured. */
    public boolean enabled() {
        return url != null && !url.isBlank();
    }

    @Override
    public String toString() {
        return "RelayApiSettings[url=" + url + ", user=" + user + "]";
    }
}
