package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.control.RobotControl;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.mqtt.RobotStatus;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.StreamState;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code /robots}: each robot's state from the retained messages, and per robot an operator's start,
 * stop (which holds) and the camera's privacy switch.
 */
public final class RobotApi implements HttpService {

    private static final byte[] ROBOTS_OPEN = "{\"robots\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] ROBOTS_CLOSE = "]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final BridgeSettings settings;
    private final Fleet fleet;
    private final RobotJsonCache cache = new RobotJsonCache();
    private final RobotRegistry registry;
    private final CommandReplies commands;
    private final RobotControl control;
    private final AccessGuard guard;
    private final RobotJson json;

    /** Creates the routes. */
    public RobotApi(final BridgeSettings settings, final Fleet fleet, final RobotRegistry registry,
                    final CommandReplies commands, final RobotControl control, final AccessGuard guard, final RobotJson json) {
        this.settings = settings;
        this.fleet = fleet;
        // GET /robots sends each robot's kept JSON until something it shows changes.
        registry.addListener(status -> cache.invalidate(status.id()));
        fleet.addListener(snapshot -> cache.clear());
        this.registry = registry;
        this.commands = commands;
        this.control = control;
        this.guard = guard;
        this.json = json;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/me", this::me)
                .any("/me", Routes::methodNotAllowed)
                .get("/robots", this::list)
                .get("/robots/{id}", this::get)
                .post("/robots/{id}/stream/start", this::start)
                .post("/robots/{id}/stream/stop", this::stop)
                .post("/robots/{id}/camera/disable", (req, res) -> camera(req, res, false))
                .post("/robots/{id}/camera/enable", (req, res) -> camera(req, res, true))
                .any("/robots", Routes::methodNotAllowed)
                .any("/robots/{id}", Routes::methodNotAllowed)
                .any("/robots/{id}/stream/start", Routes::methodNotAllowed)
                .any("/robots/{id}/stream/stop", Routes::methodNotAllowed)
                .any("/robots/{id}/camera/disable", Routes::methodNotAllowed)
                .any("/robots/{id}/camera/enable", Routes::methodNotAllowed);
    }

    /** Who the caller is: {@code {"user":"alice","role":"operator"}}; the web page shows Stop by it. */
    private void me(final ServerRequest req, final ServerResponse res) {
        guard.require(req, res, Role.VIEWER).ifPresent(principal -> JsonReplies.send(res, Status.OK_200,
                Map.of("user", principal.name(), "role", principal.role().name().toLowerCase(java.util.Locale.ROOT))));
    }

    private void list(final ServerRequest req, final ServerResponse res) {
        if (guard.require(req, res, Role.VIEWER).isEmpty()) {
            return;
        }
        final String host = ViewerUrls.host(req);
        final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(64 * 1024);
        body.writeBytes(ROBOTS_OPEN);
        boolean first = true;
        for (final RobotSettings robot : fleet.robots()) {
            if (!first) {
                body.write(',');
            }
            first = false;
            body.writeBytes(cache.of(robot.id(), host, () -> json.of(robot, registry.status(robot.id()), host)));
        }
        body.writeBytes(ROBOTS_CLOSE);
        JsonReplies.sendRaw(res, Status.OK_200, body.toByteArray());
    }

    private void get(final ServerRequest req, final ServerResponse res) {
        if (guard.require(req, res, Role.VIEWER).isEmpty()) {
            return;
        }
        Routes.robot(fleet, req, res).ifPresent(robot ->
                JsonReplies.send(res, Status.OK_200, json.of(robot, registry.status(robot.id()), ViewerUrls.host(req))));
    }

    /** An operator's stop: the robot stays off (no view, player or motion restarts it) until an operator starts it. */
    private void stop(final ServerRequest req, final ServerResponse res) {
        final Optional<Principal> by = guard.require(req, res, Role.OPERATOR);
        if (by.isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isPresent() && commands.run(res, robot.get(), "stop", () -> control.stop(robot.get(), by.get()))) {
            JsonReplies.send(res, Status.ACCEPTED_202, Map.of("robot", robot.get().id(), "command", "stop",
                    "hold", registry.status(robot.get().id()).hold().wire()));
        }
    }

    /** The privacy switch: disabled, nothing starts the camera until an operator enables it. */
    private void camera(final ServerRequest req, final ServerResponse res, final boolean enable) {
        final Optional<Principal> by = guard.require(req, res, Role.OPERATOR);
        if (by.isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isPresent() && commands.run(res, robot.get(), enable ? "camera enable" : "camera disable", () -> {
            if (enable) {
                control.enableCamera(robot.get(), by.get());
            } else {
                control.disableCamera(robot.get(), by.get());
            }
        })) {
            JsonReplies.send(res, Status.ACCEPTED_202, Map.of("robot", robot.get().id(),
                    "hold", registry.status(robot.get().id()).hold().wire()));
        }
    }

    private void start(final ServerRequest req, final ServerResponse res) {
        final Optional<Principal> by = guard.require(req, res, Role.OPERATOR);
        if (by.isEmpty()) {
            return;
        }
        final Optional<RobotSettings> found = Routes.robot(fleet, req, res);
        if (found.isEmpty()) {
            return;
        }
        final RobotSettings robot = found.get();
        final Optional<Duration> waitParam = Routes.waitParam(req, res, settings.views().maxWait());
        if (waitParam == null) {
            return;
        }
        final Duration wait = waitParam.orElse(null);
        if (wait == null) {
            if (commands.run(res, robot, "start", () -> control.start(robot, by.get(), Command.start()))) {
                JsonReplies.send(res, Status.ACCEPTED_202, Map.of("robot", robot.id(), "command", "start"));
            }
            return;
        }
        startAndWait(req, res, robot, by.get(), wait);
    }

    private void startAndWait(final ServerRequest req, final ServerResponse res, final RobotSettings robot,
                              final Principal by, final Duration wait) {
        final String requestId = UUID.randomUUID().toString();
        final CompletableFuture<RobotStatus> outcome = new CompletableFuture<>();
        final Consumer<RobotStatus> listener = status -> {
            if (status.id().equals(robot.id()) && (live(status) || failed(status, requestId))) {
                outcome.complete(status);
            }
        };
        registry.addListener(listener);
        try {
            if (!commands.run(res, robot, "start",
                    () -> control.start(robot, by, new Command(Command.Kind.START, null, requestId)))) {
                return;
            }
            final RobotStatus now = registry.status(robot.id());
            if (live(now)) {
                outcome.complete(now);
            }
            final RobotStatus status = outcome.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (live(status)) {
                final Map<String, Object> body = new LinkedHashMap<>(json.of(robot, status, ViewerUrls.host(req)));
                JsonReplies.send(res, Status.OK_200, body);
            } else {
                timeout(res, robot, status, "robot " + robot.id() + " failed to start");
            }
        } catch (final TimeoutException e) {
            timeout(res, robot, registry.status(robot.id()), "robot " + robot.id()
                    + (settings.relayReportsAvailability() ? " had no stream at the relay" : " did not report streaming")
                    + " within " + wait);
        } catch (final ExecutionException e) {
            timeout(res, robot, registry.status(robot.id()), "waiting for robot " + robot.id() + " failed");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            timeout(res, robot, registry.status(robot.id()), "interrupted");
        } finally {
            registry.removeListener(listener);
        }
    }

    /**
     * Whether a viewer can open the stream now: the relay has it, where the relay says so (its
     * availability hooks), or else the agent reports streaming. (Also when the relay has said
     * nothing since this bridge started, e.g. a bridge restarted under a running stream.)
     */
    private boolean live(final RobotStatus status) {
        return settings.relayReportsAvailability() && status.relayAvailable() != null
                ? status.relayAvailable() : status.streaming();
    }

    private static boolean failed(final RobotStatus status, final String requestId) {
        return status.state() != null && status.state().state() == StreamState.FAILED
                && requestId.equals(status.state().requestId());
    }

    private static void timeout(final ServerResponse res, final RobotSettings robot, final RobotStatus status,
                                final String detail) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", detail);
        body.put("robot", robot.id());
        body.put("availability", status.availability());
        body.put("state", status.state() == null ? "unknown" : status.state().state().wire());
        body.put("lastError", status.state() == null ? null : status.state().lastError());
        JsonReplies.send(res, Status.GATEWAY_TIMEOUT_504, body);
    }
}
