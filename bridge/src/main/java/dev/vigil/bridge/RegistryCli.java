package dev.vigil.bridge;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.vigil.bridge.auth.SecretHash;
import dev.vigil.bridge.config.AuthSettings;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.config.SettingsLoader;
import dev.vigil.bridge.fleet.Enrolment;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.http.RegistryApi;
import dev.vigil.bridge.store.AccountStore;
import dev.vigil.bridge.store.ConflictException;
import dev.vigil.bridge.store.Database;
import dev.vigil.bridge.store.Outcome;
import dev.vigil.bridge.store.RobotStore;
import dev.vigil.bridge.store.StoreException;
import dev.vigil.common.config.ConfigProblemsException;
import dev.vigil.protocol.PublishKeys;
import dev.vigil.protocol.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * {@code vigil-bridge robot|user|token ...}: the registry from the command line, on the database
 * that the bridge's configuration names (a running bridge sees each change within
 * {@code database.refresh-every}). Output is for people, one line per item; errors are one line
 * on stderr with exit status 2 (usage), 3 (conflict or not found) or 1 (database).
 */
final class RegistryCli {

    static final String USAGE = """
              robot add <id> [--topic T] [--relay R] [--relay-path P]
                              add a robot and print its agent settings with a new private publish key, once
              robot add <id> --publish-key ed25519-pub:... [--topic T] [--relay R] [--relay-path P] [--ensure]
                              add a robot whose key pair was made elsewhere; --ensure: or bring it in line
                              (prints added, updated or unchanged)
              robot keygen    print a new key pair (private: the agent's media.publish-password in token mode;
                              public: for robot add --publish-key); `openssl genpkey -algorithm ed25519` works too
              robot list      the robots of bridge.conf and of the registry
              robot remove <id>
              robot rotate-secret <id>
                              a new private publish key for the robot (the old one stops publishing)
              user add <name> --role viewer|operator [--password-hash H] [--max-views N] [--ensure]
                              a user for Basic auth; the password is read from stdin unless a hash is given
              user list | user remove <name> | user set-password <name>
              token add <name> --role viewer|operator [--hash sha256$...] [--max-views N] [--ensure]
                              a bearer token: printed once unless its hash is given
              token list | token remove <name>
            """;

    private static final Set<String> FLAGS = Set.of("--ensure");

    private final PrintWriter out;
    private final PrintWriter err;

    RegistryCli(final PrintWriter out, final PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** Runs {@code args} ({@code robot add rover1 ...}); returns the exit status. */
    int run(final String[] args) {
        logToStderr();
        final Map<String, String> options = new HashMap<>();
        final List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (FLAGS.contains(args[i])) {
                options.put(args[i], "true");
            } else if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    return usage("option " + args[i] + " needs a value");
                }
                options.put(args[i], args[++i]);
            } else {
                words.add(args[i]);
            }
        }
        if (words.size() < 2) {
            return usage("say what to do, e.g. `" + words.get(0) + " list`");
        }
        if (words.equals(List.of("robot", "keygen"))) {
            final PublishKeys.Pair pair = PublishKeys.generate();
            out.println("private: " + pair.privateKey());
            out.println("public:  " + pair.publicKey());
            return 0;
        }
        final BridgeSettings settings;
        try {
            settings = SettingsLoader.load();
        } catch (final ConfigProblemsException e) {
            err.println("vigil-bridge: the configuration has problems: " + String.join("; ", e.problems()));
            return 2;
        }
        try (Database db = Database.open(settings.database())) {
            final RobotStore robots = new RobotStore(db, Clock.systemUTC());
            final AccountStore accounts = new AccountStore(db, Clock.systemUTC());
            final String command = words.get(0) + " " + words.get(1);
            final String name = words.size() > 2 ? words.get(2) : null;
            if (name == null && !words.get(1).equals("list")) {
                return usage(command + " needs a name");
            }
            return switch (command) {
                case "robot add" -> addRobot(settings, robots, name, options);
                case "robot list" -> listRobots(settings, robots);
                case "robot remove" -> found(robots.remove(name), "robot", name, "removed");
                case "robot rotate-secret" -> rotate(settings, robots, name);
                case "user add" -> addAccount(settings, accounts, AccountStore.Kind.USER, name, options);
                case "user list" -> listAccounts(settings, accounts, AccountStore.Kind.USER);
                case "user remove" -> found(accounts.remove(AccountStore.Kind.USER, name), "user", name, "removed");
                case "user set-password" -> setPassword(settings, accounts, name);
                case "token add" -> addAccount(settings, accounts, AccountStore.Kind.TOKEN, name, options);
                case "token list" -> listAccounts(settings, accounts, AccountStore.Kind.TOKEN);
                case "token remove" -> found(accounts.remove(AccountStore.Kind.TOKEN, name), "token", name, "removed");
                default -> usage("unknown command '" + command + "'");
            };
        } catch (final StoreException e) {
            err.println("vigil-bridge: " + e.getMessage());
            return 1;
        } catch (final IllegalArgumentException e) {
            err.println("vigil-bridge: " + e.getMessage());
            return 2;
        } catch (final ConflictException e) {
            err.println("vigil-bridge: " + e.getMessage());
            return 3;
        }
    }

    private int addRobot(final BridgeSettings settings, final RobotStore robots, final String id,
                         final Map<String, String> options) throws ConflictException {
        final String publishKey = options.get("--publish-key");
        final Enrolment.Request request = new Enrolment.Request(id, options.get("--topic"), options.get("--relay"),
                options.get("--relay-path"));
        if (publishKey == null) {
            if (options.containsKey("--ensure")) {
                return usage("--ensure needs --publish-key: a new key pair is printed once, so it cannot be ensured");
            }
            final Enrolment.Issued issued = new Enrolment(settings, robots).add(request);
            err.println("Robot " + id + " added to the registry " + settings.database().describe()
                    + "; its agent settings follow (shown once):");
            out.print(issued.agentConfig());
            out.flush();
            return 0;
        }
        if (!PublishKeys.isPublicKey(publishKey)) {
            return usage("--publish-key must be an Ed25519 public key (ed25519-pub:...)");
        }
        final RobotSettings robot = new RobotSettings(id, request.baseTopic() == null ? Topics.fleetBase(id) : request.baseTopic(),
                request.relayPath() == null ? "live/" + id : request.relayPath(), null, null, null, publishKey,
                request.relay() == null ? settings.defaultRelay() : request.relay());
        final String problem = Fleet.problemWithNew(settings, robot);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (options.containsKey("--ensure")) {
            out.println("robot " + id + " " + robots.put(robot).word());
        } else {
            robots.add(robot);
            out.println("robot " + id + " added");
        }
        return 0;
    }

    private int listRobots(final BridgeSettings settings, final RobotStore robots) {
        out.printf("%-24s %-28s %-12s %-24s %s%n", "ID", "TOPIC", "RELAY", "RELAY PATH", "SOURCE");
        for (final RobotSettings robot : settings.robots().values()) {
            out.printf("%-24s %-28s %-12s %-24s %s%n", robot.id(), robot.baseTopic(), robot.relay(), robot.relayPath(), "bridge.conf");
        }
        for (final RobotSettings robot : robots.all()) {
            out.printf("%-24s %-28s %-12s %-24s %s%n", robot.id(), robot.baseTopic(), robot.relay(), robot.relayPath(), "registry");
        }
        return 0;
    }

    private int rotate(final BridgeSettings settings, final RobotStore robots, final String id) {
        final Optional<Enrolment.Issued> issued = new Enrolment(settings, robots).rotate(id);
        if (issued.isEmpty()) {
            return found(false, "robot", id, "");
        }
        err.println("Robot " + id + " has a new publish key; the old one no longer publishes. Its agent settings (shown once):");
        out.print(issued.get().agentConfig());
        out.flush();
        return 0;
    }

    private int addAccount(final BridgeSettings settings, final AccountStore accounts, final AccountStore.Kind kind,
                           final String name, final Map<String, String> options) throws ConflictException {
        final String role = options.get("--role");
        final String problem = RegistryApi.accountProblem(name, role);
        if (problem != null) {
            return usage(problem);
        }
        final Map<String, AuthSettings.Credential> configured = kind == AccountStore.Kind.USER
                ? settings.auth().users() : settings.auth().tokens();
        if (configured.containsKey(name)) {
            throw new ConflictException(kind.noun() + " '" + name + "' is configured in bridge.conf");
        }
        final String givenHash = options.get(kind == AccountStore.Kind.USER ? "--password-hash" : "--hash");
        if (givenHash != null && !SecretHash.isValid(givenHash)) {
            return usage("not a valid hash (see `vigil-bridge hash-password` and `new-token`)");
        }
        String token = null;
        final String hash;
        if (givenHash != null) {
            hash = givenHash;
        } else if (kind == AccountStore.Kind.USER) {
            final Optional<String> password = readSecret();
            if (password.isEmpty()) {
                return usage("give the password on stdin (one line, at least 8 characters) or --password-hash");
            }
            hash = SecretHash.pbkdf2(password.get().toCharArray(), settings.auth().pbkdf2Iterations());
        } else {
            token = RegistryApi.newToken();
            hash = SecretHash.sha256(token);
        }
        final int maxViews;
        try {
            maxViews = options.containsKey("--max-views") ? Integer.parseInt(options.get("--max-views"))
                    : settings.views().maxPerUser();
        } catch (final NumberFormatException e) {
            return usage("--max-views must be a whole number");
        }
        if (maxViews < 1) {
            return usage("--max-views must be at least 1");
        }
        final AuthSettings.Credential credential = new AuthSettings.Credential(hash, role, maxViews);
        if (options.containsKey("--ensure")) {
            if (givenHash == null) {
                return usage("--ensure needs the hash (--password-hash or --hash), or it could never be unchanged");
            }
            out.println(kind.noun() + " " + name + " " + accounts.put(kind, name, credential).word());
            return 0;
        }
        accounts.add(kind, name, credential);
        if (token != null) {
            err.println("Token " + name + " (" + role + ") added; it is shown this once:");
            out.println(token);
        } else {
            out.println(kind.noun() + " " + name + " added (" + role + ")");
        }
        return 0;
    }

    private int listAccounts(final BridgeSettings settings, final AccountStore accounts, final AccountStore.Kind kind) {
        out.printf("%-32s %-10s %-10s %s%n", "NAME", "ROLE", "MAX VIEWS", "SOURCE");
        (kind == AccountStore.Kind.USER ? settings.auth().users() : settings.auth().tokens())
                .forEach((name, c) -> out.printf("%-32s %-10s %-10d %s%n", name, c.role(), c.maxViews(), "bridge.conf"));
        accounts.all(kind).forEach((name, c) -> out.printf("%-32s %-10s %-10d %s%n", name, c.role(), c.maxViews(), "registry"));
        return 0;
    }

    private int setPassword(final BridgeSettings settings, final AccountStore accounts, final String name) {
        final Optional<String> password = readSecret();
        if (password.isEmpty()) {
            return usage("give the new password on stdin (one line, at least 8 characters)");
        }
        return found(accounts.replaceHash(AccountStore.Kind.USER, name,
                SecretHash.pbkdf2(password.get().toCharArray(), settings.auth().pbkdf2Iterations())),
                "user", name, "has a new password");
    }

    private int found(final boolean done, final String noun, final String name, final String what) {
        if (!done) {
            err.println("vigil-bridge: no " + noun + " '" + name + "' in the registry");
            return 3;
        }
        out.println(noun + " " + name + " " + what);
        return 0;
    }

    private int usage(final String problem) {
        err.println("vigil-bridge: " + problem + "; try --help");
        return 2;
    }

    private static Optional<String> readSecret() {
        try {
            final String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null || line.length() < 8 ? Optional.empty() : Optional.of(line);
        } catch (final IOException e) {
            return Optional.empty();
        }
    }

    /** The CLI's stdout is its output (agent settings, tokens): the log goes to stderr. */
    private static void logToStderr() {
        System.setProperty("vigil.log.target", "System.err");
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (final JoranException e) {
                // the defaults stay: logging is not what this command is for
            }
        }
    }

    static boolean handles(final String[] args) {
        return args.length > 0 && Arrays.asList("robot", "user", "token").contains(args[0]);
    }
}
