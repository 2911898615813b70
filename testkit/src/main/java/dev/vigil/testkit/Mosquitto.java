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
 * false}), an optional ACL, and optionally a second, TLS listener on {@link #tlsPort()}
 * ({@link Builder#tls(TestPki.Issued)}); a test's probe can then watch on the plain port while the
 * client under test meets the certificate. {@link #stop()} and {@link #restart()} keep the ports, so
 * clients can be tested reconnecting; {@link #useCertificate(TestPki.Issued)} restarts it presenting
 * another server certificate.
 */
public final class Mosquitto implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int tlsPort;
    private final String usersAndAcl;
    private final ServerProcess server;
    private TestPki.Issued certificate;

    private Mosquitto(final Path dir, final int port, final int tlsPort, final String usersAndAcl, final TestPki.Issued certificate) {
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
        this.usersAndAcl = usersAndAcl;
        this.certificate = certificate;
        // stdbuf: mosquitto's log to a pipe is block-buffered, and a test reads it line by line as it happens.
        this.server = new ServerProcess("mosquitto", List.of("stdbuf", "-oL", "mosquitto", "-c", dir.resolve("mosquitto.conf").toString()),
                dir, certificate == null ? List.of(port) : List.of(port, tlsPort), () -> "");
    }

    /** Starts a broker that knows {@code usersToPasswords}. */
    public static Mosquitto start(final Map<String, String> usersToPasswords) {
        final Builder builder = builder();
        usersToPasswords.forEach(builder::user);
        return builder.start();
    }

    /** A builder for users, an ACL and TLS. */
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

    /** The TLS listener's port; only with {@link Builder#tls(TestPki.Issued)}. */
    public int tlsPort() {
        if (certificate == null) {
            throw new IllegalStateException("this broker has no TLS listener");
        }
        return tlsPort;
    }

    /** The broker's process id (while it runs), for measuring it (stdbuf execs mosquitto: the same process). */
    public long pid() {
        return server.pid();
    }

    /** True while the broker process runs. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** What the running broker has logged (connections, refusals, TLS errors). */
    public List<String> log() {
        return server.lines();
    }

    /** Kills the broker (the port stays reserved for {@link #restart()}). */
    public void stop() {
        server.stop();
    }

    /** Starts the broker again on the same port with the same users. */
    public void restart() {
        server.restart();
    }

    /** Restarts the TLS broker on the same port, presenting {@code next} from now on. */
    public void useCertificate(final TestPki.Issued next) {
        if (certificate == null) {
            throw new IllegalStateException("this broker has no TLS listener");
        }
        certificate = next;
        writeConfig();
        server.restart();
    }

    @Override
    public void close() {
        server.close();
    }

    private void writeConfig() {
        final StringBuilder conf = new StringBuilder()
                .append("listener ").append(port).append(" 127.0.0.1\n");
        if (certificate != null) {
            conf.append("listener ").append(tlsPort).append(" 127.0.0.1\n")
                    .append("certfile ").append(certificate.chainFile()).append('\n')
                    .append("keyfile ").append(certificate.keyFile()).append('\n')
                    .append("tls_version tlsv1.2\n");
        }
        conf.append(usersAndAcl);
        try {
            Files.writeString(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Users, an ACL and TLS for a broker. */
    public static final class Builder {

        private final Map<String, String> users = new LinkedHashMap<>();
        private String acl;
        private final StringBuilder settings = new StringBuilder();
        private TestPki.Issued certificate;

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

        /** A second listener, TLS 1.2 or newer, presenting {@code server} and its CA's certificate. */
        public Builder tls(final TestPki.Issued server) {
            this.certificate = server;
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
                final int tlsPort = certificate == null ? -1 : Ports.free();
                final StringBuilder conf = new StringBuilder()
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
                final Mosquitto broker = new Mosquitto(dir, port, tlsPort, conf.toString(), certificate);
                broker.writeConfig();
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
