package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Mosquitto broker on 127.0.0.1 and a free port, with password auth ({@code allow_anonymous
 * false}) and an optional ACL. {@link #stop()} and {@link #restart()} keep the port, so clients can
 * be tested reconnecting.
 */
public final class Mosquitto implements AutoCloseable {

    private final int port;
    private final ServerProcess server;

    private Mosquitto(final Path dir, final int port) {
        this.port = port;
        this.server = new ServerProcess("mosquitto", List.of("mosquitto", "-c", dir.resolve("mosquitto.conf").toString()),
                dir, List.of(port), () -> "");
    }

    /** Starts a broker that knows {@code usersToPasswords}. */
    public static Mosquitto start(final Map<String, String> usersToPasswords) {
        final Builder builder = builder();
        usersToPasswords.forEach(builder::user);
        return builder.start();
    }

    /** A builder for users and an ACL. */
    public static Builder builder() {
        return new Builder();
    }

    /** 127.0.0.1. */
    public String host() {
        return "127.0.0.1";
    }

    /** The broker's port; the same across {@link #stop()} and {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The broker's process id (while it runs), for measuring it. */
    public long pid() {
        return server.pid();
    }

    /** True while the broker process runs. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Kills the broker (the port stays reserved for {@link #restart()}). */
    public void stop() {
        server.stop();
    }

    /** Starts the broker again on the same port with the same users. */
    public void restart() {
        server.restart();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Users and an ACL for a broker. */
    public static final class Builder {

        private final Map<String, String> users = new LinkedHashMap<>();
        private String acl;
        private final StringBuilder settings = new StringBuilder();

        private Builder() {
        }

        /** A user with a password. */
        public Builder user(final String name, final String password) {
            users.put(name, password);
            return this;
        }

        /** One more line of mosquitto.conf, such as {@code max_queued_messages 100000}. */
        public Builder setting(final String line) {
            settings.append(line).append('\n');
            return this;
        }

        /** The text of a Mosquitto ACL file ({@code user x} / {@code topic read|write|readwrite t}). */
        public Builder acl(final String aclFileText) {
            this.acl = aclFileText;
            return this;
        }

        /** Writes the configuration and starts the broker. */
        public Mosquitto start() {
            try {
                final Path dir = Files.createTempDirectory("vigil-mosquitto");
                final Path passwd = dir.resolve("passwd");
                Files.writeString(passwd, "");
                for (final Map.Entry<String, String> user : users.entrySet()) {
                    run(List.of("mosquitto_passwd", "-b", passwd.toString(), user.getKey(), user.getValue()));
                }
                final int port = Ports.free();
                final StringBuilder conf = new StringBuilder()
                        .append("listener ").append(port).append(" 127.0.0.1\n")
                        .append("allow_anonymous false\n")
                        .append("password_file ").append(passwd).append('\n')
                        .append("persistence false\n")
                        // Stay root when run as root, so the broker can read its 0600 files in this temp dir.
                        .append("user root\n")
                        .append("log_dest stdout\n")
                        .append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
                conf.append(settings);
                if (acl != null) {
                    final Path aclFile = dir.resolve("acl");
                    Files.writeString(aclFile, acl, StandardCharsets.UTF_8);
                    conf.append("acl_file ").append(aclFile).append('\n');
                }
                Files.writeString(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
                final Mosquitto broker = new Mosquitto(dir, port);
                broker.server.start();
                return broker;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void run(final List<String> argv) throws IOException {
            final Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(argv.get(0) + " failed: " + out.strip());
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
