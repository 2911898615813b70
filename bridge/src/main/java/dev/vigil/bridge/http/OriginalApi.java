package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.control.RobotControl;
import dev.vigil.protocol.Command;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The original FastAPI bridge's routes, with its exact answers, acting on the default robot. Its
 * stop is an operator's stop (it holds until a start), its start lifts that stop.
 */
public final class OriginalApi implements HttpService {

    private static final byte[] RUNNING = "{\"msg\":\"Media bridge service running!\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STARTED = "{\"msg\":\"Published start\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STOPPED = "{\"msg\":\"Published stop\"}".getBytes(StandardCharsets.UTF_8);

    private final Fleet fleet;
    private final String robotId;
    private final CommandReplies commands;
    private final RobotControl control;
    private final AccessGuard guard;
    private final boolean needsAuth;

    /** Creates the routes for the fleet's robot {@code robotId}; {@code needsAuth} makes /stream/* need an operator. */
    public OriginalApi(final Fleet fleet, final String robotId, final CommandReplies commands, final RobotControl control,
                       final AccessGuard guard, final boolean needsAuth) {
        this.fleet = fleet;
        this.robotId = robotId;
        this.commands = commands;
        this.control = control;
        this.guard = guard;
        this.needsAuth = needsAuth;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/", (req, res) -> JsonReplies.sendRaw(res, Status.OK_200, RUNNING))
                .post("/stream/start", (req, res) -> publish(req, res, true, STARTED))
                .post("/stream/stop", (req, res) -> publish(req, res, false, STOPPED))
                .any("/stream/start", Routes::methodNotAllowed)
                .any("/stream/stop", Routes::methodNotAllowed);
    }

    private void publish(final ServerRequest req, final ServerResponse res, final boolean start, final byte[] answer) {
        Principal by = null;
        if (needsAuth) {
            final Optional<Principal> operator = guard.require(req, res, Role.OPERATOR);
            if (operator.isEmpty()) {
                return;
            }
            by = operator.get();
        }
        // The default robot may be one of the registry's, added or removed at run time.
        final Optional<RobotSettings> found = fleet.robot(robotId);
        if (found.isEmpty()) {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "the default robot '" + robotId
                    + "' is neither in bridge.conf nor in the registry");
            return;
        }
        final RobotSettings robot = found.get();
        final Principal who = by;
        if (commands.run(res, robot, start ? "start" : "stop", () -> {
            if (start) {
                control.start(robot, who, Command.start());
            } else {
                control.stop(robot, who);
            }
        })) {
            JsonReplies.sendRaw(res, Status.OK_200, answer);
        }
    }
}
