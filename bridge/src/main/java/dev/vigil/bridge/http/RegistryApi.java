package dev.vigil.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.auth.SecretHash;
import dev.vigil.bridge.config.AuthSettings;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Enrolment;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.store.AccountStore;
import dev.vigil.bridge.store.ConflictException;
import dev.vigil.bridge.store.RobotStore;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /registry}: the operator's API for the robots, users and tokens of the registry, the same
 * operations as the CLI ({@code vigil-bridge robot add ...}). Adding a robot answers its agent
 * settings with a new private key, once; the registry keeps only the public key. Every change is
 * served at once by this bridge and within {@code database.refresh-every} by the others.
 */
public final class RegistryApi implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);
    private static final Set<String> ROLES = Set.of("viewer", "operator");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Fleet fleet;
    private final RobotStore robots;
    private final AccountStore accounts;
    private final AccessGuard guard;
    private final BridgeSettings settings;
    private final Enrolment enrolment;

    /** Creates the routes. */
    public RegistryApi(final Fleet fleet, final RobotStore robots, final AccountStore accounts, final AccessGuard guard,
                       final BridgeSettings settings) {
        this.fleet = fleet;
        this.robots = robots;
        this.accounts = accounts;
        this.guard = guard;
        this.settings = settings;
        this.enrolment = new Enrolment(settings, robots);
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/registry/robots", operator(this::listRobots))
                .post("/registry/robots", operator(this::addRobot))
                .delete("/registry/robots/{id}", operator(this::removeRobot))
                .post("/registry/robots/{id}/rotate-secret", operator(this::rotate))
                .get("/registry/users", operator((req, res) -> listAccounts(res, AccountStore.Kind.USER)))
                .post("/registry/users", operator(this::addUser))
                .delete("/registry/users/{name}", operator((req, res) -> removeAccount(req, res, AccountStore.Kind.USER)))
                .get("/registry/tokens", operator((req, res) -> listAccounts(res, AccountStore.Kind.TOKEN)))
                .post("/registry/tokens", operator(this::addToken))
                .delete("/registry/tokens/{name}", operator((req, res) -> removeAccount(req, res, AccountStore.Kind.TOKEN)))
                .any("/registry/robots", Routes::methodNotAllowed)
                .any("/registry/robots/{id}", Routes::methodNotAllowed)
                .any("/registry/robots/{id}/rotate-secret", Routes::methodNotAllowed)
                .any("/registry/users", Routes::methodNotAllowed)
                .any("/registry/users/{name}", Routes::methodNotAllowed)
                .any("/registry/tokens", Routes::methodNotAllowed)
                .any("/registry/tokens/{name}", Routes::methodNotAllowed);
    }

    /** Only an operator gets past (a database out of reach is a 503: {@link ErrorReplies}). */
    private Handler operator(final Handler handler) {
        return (req, res) -> {
            if (guard.require(req, res, Role.OPERATOR).isPresent()) {
                handler.handle(req, res);
            }
        };
    }

    private void listRobots(final ServerRequest req, final ServerResponse res) {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final RobotSettings robot : settings.robots().values()) {
            out.add(robotJson(robot, "bridge.conf"));
        }
        for (final RobotSettings robot : robots.all()) {
            out.add(robotJson(robot, "registry"));
        }
        JsonReplies.send(res, Status.OK_200, Map.of("robots", out));
    }

    private void addRobot(final ServerRequest req, final ServerResponse res) {
        final Optional<JsonNode> body = body(req, res);
        if (body.isEmpty()) {
            return;
        }
        final Enrolment.Request request = new Enrolment.Request(text(body.get(), "id"), text(body.get(), "topic"),
                text(body.get(), "relay"), text(body.get(), "relayPath"));
        try {
            final Enrolment.Issued issued = enrolment.add(request);
            fleet.refresh();
            LOG.info("Registry: robot {} added (topic {}, relay {}, path {})", issued.robot().id(),
                    issued.robot().baseTopic(), issued.robot().relay(), issued.robot().relayPath());
            JsonReplies.send(res, Status.CREATED_201, issuedJson(issued));
        } catch (final IllegalArgumentException e) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, e.getMessage());
        } catch (final ConflictException e) {
            JsonReplies.problem(res, Status.CONFLICT_409, e.getMessage());
        }
    }

    private void removeRobot(final ServerRequest req, final ServerResponse res) {
        final String id = req.path().pathParameters().get("id");
        if (settings.robots().containsKey(id)) {
            JsonReplies.problem(res, Status.CONFLICT_409, "robot '" + Routes.printable(id)
                    + "' is configured in bridge.conf; remove it there");
        } else if (robots.remove(id)) {
            fleet.refresh();
            LOG.info("Registry: robot {} removed", id);
            res.status(Status.NO_CONTENT_204).send();
        } else {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "no robot '" + Routes.printable(id) + "' in the registry");
        }
    }

    private void rotate(final ServerRequest req, final ServerResponse res) {
        final String id = req.path().pathParameters().get("id");
        final Optional<Enrolment.Issued> issued = enrolment.rotate(id);
        if (issued.isEmpty()) {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "no robot '" + Routes.printable(id) + "' in the registry");
            return;
        }
        fleet.refresh();
        LOG.info("Registry: robot {} has a new publish key; the old one no longer publishes", id);
        JsonReplies.send(res, Status.OK_200, issuedJson(issued.get()));
    }

    private void listAccounts(final ServerResponse res, final AccountStore.Kind kind) {
        final List<Map<String, Object>> out = new ArrayList<>();
        final Map<String, AuthSettings.Credential> configured = kind == AccountStore.Kind.USER
                ? settings.auth().users() : settings.auth().tokens();
        configured.forEach((name, credential) -> out.add(accountJson(name, credential, "bridge.conf")));
        accounts.all(kind).forEach((name, credential) -> out.add(accountJson(name, credential, "registry")));
        JsonReplies.send(res, Status.OK_200, Map.of(kind == AccountStore.Kind.USER ? "users" : "tokens", out));
    }

    private void addUser(final ServerRequest req, final ServerResponse res) {
        final Optional<JsonNode> body = body(req, res);
        if (body.isEmpty()) {
            return;
        }
        final String name = text(body.get(), "name");
        final String password = text(body.get(), "password");
        if (password == null || password.length() < 8) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "password must be at least 8 characters");
            return;
        }
        if (addAccount(res, AccountStore.Kind.USER, name, text(body.get(), "role"), maxViews(body.get()),
                () -> SecretHash.pbkdf2(password.toCharArray(), settings.auth().pbkdf2Iterations()))) {
            JsonReplies.send(res, Status.CREATED_201, Map.of("name", name, "role", text(body.get(), "role")));
        }
    }

    private void addToken(final ServerRequest req, final ServerResponse res) {
        final Optional<JsonNode> body = body(req, res);
        if (body.isEmpty()) {
            return;
        }
        final String name = text(body.get(), "name");
        final String token = newToken();
        if (addAccount(res, AccountStore.Kind.TOKEN, name, text(body.get(), "role"), maxViews(body.get()),
                () -> SecretHash.sha256(token))) {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", name);
            out.put("role", text(body.get(), "role"));
            out.put("token", token);
            JsonReplies.send(res, Status.CREATED_201, out);
        }
    }

    /** {@code maxViews} of the body, or {@code views.max-per-user}; 0 (refused below) when it is not a number. */
    private int maxViews(final JsonNode body) {
        final JsonNode node = body.get("maxViews");
        if (node == null || node.isNull()) {
            return settings.views().maxPerUser();
        }
        return node.canConvertToInt() && node.isIntegralNumber() ? node.asInt() : 0;
    }

    private boolean addAccount(final ServerResponse res, final AccountStore.Kind kind, final String name, final String role,
                               final int maxViews, final java.util.function.Supplier<String> hash) {
        final String problem = maxViews < 1 ? "maxViews must be a whole number of at least 1" : accountProblem(name, role);
        if (problem != null) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, problem);
            return false;
        }
        final Map<String, AuthSettings.Credential> configured = kind == AccountStore.Kind.USER
                ? settings.auth().users() : settings.auth().tokens();
        if (configured.containsKey(name)) {
            JsonReplies.problem(res, Status.CONFLICT_409, kind.noun() + " '" + name + "' is configured in bridge.conf");
            return false;
        }
        try {
            accounts.add(kind, name, new AuthSettings.Credential(hash.get(), role, maxViews));
        } catch (final ConflictException e) {
            JsonReplies.problem(res, Status.CONFLICT_409, e.getMessage());
            return false;
        }
        fleet.refresh();
        LOG.info("Registry: {} {} added ({})", kind.noun(), name, role);
        return true;
    }

    private void removeAccount(final ServerRequest req, final ServerResponse res, final AccountStore.Kind kind) {
        final String name = req.path().pathParameters().get("name");
        if (accounts.remove(kind, name)) {
            fleet.refresh();
            LOG.info("Registry: {} {} removed", kind.noun(), name);
            res.status(Status.NO_CONTENT_204).send();
        } else {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "no " + kind.noun() + " '" + Routes.printable(name)
                    + "' in the registry");
        }
    }

    /** Why {@code name} and {@code role} cannot name an account, or {@code null}. */
    public static String accountProblem(final String name, final String role) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
            return "name must be 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit";
        }
        if (role == null || !ROLES.contains(role)) {
            return "role must be viewer or operator";
        }
        return null;
    }

    /** A new random bearer token (256 bits, base64url). */
    public static String newToken() {
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Optional<JsonNode> body(final ServerRequest req, final ServerResponse res) {
        try {
            final byte[] bytes = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
            final JsonNode node = bytes.length == 0 ? null : JsonReplies.MAPPER.readTree(bytes);
            if (node != null && node.isObject()) {
                return Optional.of(node);
            }
        } catch (final IOException e) {
            // not JSON: answered below
        }
        JsonReplies.problem(res, Status.BAD_REQUEST_400, "the body must be a JSON object");
        return Optional.empty();
    }

    private static String text(final JsonNode body, final String field) {
        final JsonNode node = body.get(field);
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    private static Map<String, Object> robotJson(final RobotSettings robot, final String source) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", robot.id());
        json.put("topic", robot.baseTopic());
        json.put("relay", robot.relay());
        json.put("relayPath", robot.relayPath());
        json.put("publishKey", robot.publishKey() != null);
        json.put("source", source);
        return json;
    }

    private static Map<String, Object> issuedJson(final Enrolment.Issued issued) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("robot", robotJson(issued.robot(), "registry"));
        json.put("privateKey", issued.privateKey());
        json.put("agentConfig", issued.agentConfig());
        return json;
    }

    private static Map<String, Object> accountJson(final String name, final AuthSettings.Credential credential,
                                                   final String source) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("role", credential.role());
        json.put("maxViews", credential.maxViews());
        json.put("source", source);
        return json;
    }
}
