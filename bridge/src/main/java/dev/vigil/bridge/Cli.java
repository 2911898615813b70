package dev.vigil.bridge;

import com.typesafe.config.ConfigFactory;
import dev.vigil.bridge.auth.SecretHash;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** The command line: {@code --help}, {@code --version}, {@code hash-password}, {@code new-token}, or serve. */
final class Cli {

    /** Returned when the bridge should run its server. */
    static final int SERVE = -1;

    private static final String USAGE = """
            Usage: java -jar vigil-bridge.jar [--help | --version | hash-password [--password-stdin] | new-token
                                               | robot ... | user ... | token ...]

            Runs the Vigil bridge: the HTTP API that starts and stops robot streams over MQTT,
            the relays' auth endpoints and the view leases.

            Commands:
              (none)          serve HTTP (port 8000 unless BRIDGE_PORT or vigil.bridge.server.port says otherwise)
              hash-password   read a secret from stdin (one line) and print its PBKDF2 hash for the config
                              (auth.users.<name>.password-hash, robots.<id>.publish-password-hash)
              new-token       print a new random bearer token and its sha256 hash (auth.tokens.<name>.hash)
              --version       print the version
              --help          print this help

            The registry (database.url, or the SQLite database.sqlite-file), which a running bridge follows:
            %s

            Configuration: reference.conf defaults, then -Dconfig.file=/etc/vigil/bridge.conf, then the
            environment: MQTT_BROKER, MQTT_PORT, MQTT_USER, MQTT_PASS, MQTT_TLS, MQTT_CA_FILE, MQTT_TOPIC,
            BRIDGE_HOST, BRIDGE_PORT.
            Exit status: 0 ok, 1 database out of reach, 2 bad configuration or usage, 3 conflict or not found.
            """.formatted(RegistryCli.USAGE.stripTrailing());

    private Cli() {
    }

    /** Runs a command, or returns {@link #SERVE} when there is none. */
    static int run(final String[] args) {
        if (args.length == 0) {
            return SERVE;
        }
        final PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true);
        if (RegistryCli.handles(args)) {
            return new RegistryCli(out, new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                    StandardCharsets.UTF_8), true)).run(args);
        }
        switch (args[0]) {
            case "--help", "-h", "help" -> {
                out.print(USAGE);
                out.flush();
                return 0;
            }
            case "--version" -> {
                out.println("vigil-bridge " + version());
                return 0;
            }
            case "hash-password" -> {
                return hashPassword(out);
            }
            case "new-token" -> {
                final byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                final String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                out.println("token: " + token);
                out.println("hash:  " + SecretHash.sha256(token));
                return 0;
            }
            default -> {
                final PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                        StandardCharsets.UTF_8), true);
                err.println("vigil-bridge: unknown argument '" + args[0] + "'; try --help");
                return 2;
            }
        }
    }

    private static int hashPassword(final PrintWriter out) {
        final String secret;
        try {
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            secret = in.readLine();
        } catch (final IOException e) {
            return 2;
        }
        if (secret == null || secret.isEmpty()) {
            final PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                    StandardCharsets.UTF_8), true);
            err.println("vigil-bridge hash-password: no secret on stdin");
            return 2;
        }
        final int iterations = ConfigFactory.defaultReference().getInt("vigil.bridge.auth.pbkdf2-iterations");
        out.println(SecretHash.pbkdf2(secret.toCharArray(), iterations));
        return 0;
    }

    /** The version from the jar's manifest. */
    static String version() {
        final String version = Cli.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
