package dev.vigil.agent.config;

import java.time.Duration;

/** Where and how the agent publishes; {@code server} is host:port. {@link #toString()} never shows the password. */
public record MediaSettings(String server, String path, String publishUser, String publishPassword,
                            String urlTemplate, boolean tokenAuth, Duration tokenTtl) {

    @Override
    public String toString() {
        return "relay " + server + " path " + path + (tokenAuth ? " (token auth)" : publishUser.isEmpty() ? "" : " as " + publishUser);
    }
}
