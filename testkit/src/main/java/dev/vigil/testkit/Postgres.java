package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (Debian's {@code postgresql}) on 127.0.0.1 and a free port, in a temporary
 * cluster made with {@code initdb}: one database {@code vigil} owned by the user {@code vigil}
 * with a random password (SCRAM). PostgreSQL refuses to run as root, so when the tests run as
 * root the cluster belongs to the {@code postgres} system user and its programs run as it
 * ({@code setpriv}); otherwise they run as the calling user. {@link #stop()} and
 * {@link #restart()} keep the port and the data.
 */
public final class Postgres implements AutoCloseable {

    private static final String DATABASE = "vigil";
    private static final String USER = "vigil";
    private static final String SYSTEM_USER = "postgres";

    private final Path dir;
    private final int port;
    private final String password;
    private final ServerProcess server;

    private Postgres(final Path dir, final int port, final String password, final List<String> argv) {
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.server = new ServerProcess("postgres", argv, dir, List.of(port),
                () -> "", Map.of("LC_ALL", "C"));
    }

    /** Makes the cluster and the database, and starts the server. */
    public static Postgres start() {
        final Path bin = binDir();
        try {
            final Path dir = Files.createTempDirectory("vigil-postgres");
            final byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            final String password = HexFormat.of().formatHex(random);
            final Path pwfile = dir.resolve("pw");
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            if (asRoot()) {
                run(List.of("chown", "-R", SYSTEM_USER + ":" + SYSTEM_USER, dir.toString()), Map.of());
            }
            run(as(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-locale", "--no-sync")), Map.of("LC_ALL", "C"));
            Files.delete(pwfile);
            final int port = Ports.free();
            final Postgres postgres = new Postgres(dir, port, password, as(List.of(bin.resolve("postgres").toString(),
                    "-D", dir.resolve("data").toString(), "-p", Integer.toString(port), "-h", "127.0.0.1",
                    "-k", dir.toString(),
                    // A test cluster: nothing to survive a crash of the machine, so no fsync.
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                    "-c", "max_connections=200", "-c", "log_min_messages=warning")));
            postgres.server.start();
            run(as(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-U", USER, DATABASE)), Map.of("PGPASSWORD", password));
            return postgres;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/vigil}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The database's owner. */
    public String user() {
        return USER;
    }

    /** Its password. */
    public String password() {
        return password;
    }

    /** The port, the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** Every line the server printed (warnings and errors). */
    public List<String> log() {
        return server.lines();
    }

    /** Stops the server (fast shutdown: open sessions are ended); the data stays. */
    public void stop() {
        server.interrupt();
        server.stop();
    }

    /** Starts it again on the same port with the same data. */
    public void restart() {
        stop();
        server.start();
    }

    @Override
    public void close() {
        stop();
        server.close();
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code argv} run as the {@code postgres} user when this JVM is root. */
    private static List<String> as(final List<String> argv) {
        if (!asRoot()) {
            return argv;
        }
        final List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER,
                "--clear-groups", "--"));
        wrapped.addAll(argv);
        return wrapped;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin}. */
    private static Path binDir() {
        final Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(p -> Files.isExecutable(p.resolve("bin/postgres")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0"))))
                    .map(p -> p.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under " + root + ": apt-get install postgresql"));
        } catch (final IOException e) {
            throw new IllegalStateException("no PostgreSQL under " + root + ": apt-get install postgresql", e);
        }
    }

    private static void run(final List<String> argv, final Map<String, String> env) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).directory(Path.of("/").toFile());
        builder.environment().putAll(env);
        final Process p = builder.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException(Path.of(argv.get(asRoot() ? 5 : 0)).getFileName() + " failed: " + out.strip());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
