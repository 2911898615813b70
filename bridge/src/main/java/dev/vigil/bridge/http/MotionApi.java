package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.protocol.Command;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Optional;

/**
 * Motion mode at run time, for operators: {@code POST /robots/{id}/motion/on} and {@code .../off}
 * send the robot {@code motion-on} or {@code motion-off}; its state then says {@code "motion":"on"}.
 */
public final class MotionApi implements HttpService {

    private final Fleet fleet;
    private final CommandReplies commands;
    private final AccessGuard guard;

    public MotionApi(final Fleet fleet, final CommandReplies commands, final AccessGuard guard) {
        this.fleet = fleet;
        this.commands = commands;
        this.guard = guard;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/robots/{id}/motion/on", (req, res) -> send(req, res, Command.Kind.MOTION_ON))
                .post("/robots/{id}/motion/off", (req, res) -> send(req, res, Command.Kind.MOTION_OFF))
                .any("/robots/{id}/motion/on", Routes::methodNotAllowed)
                .any("/robots/{id}/motion/off", Routes::methodNotAllowed);
    }

    private void send(final ServerRequest req, final ServerResponse res, final Command.Kind kind) {
        if (guard.require(req, res, Role.OPERATOR).isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isPresent() && commands.send(res, robot.get(), Command.of(kind))) {
            JsonReplies.send(res, Status.ACCEPTED_202, Map.of("robot", robot.get().id(), "command", kind.wire()));
        }
    }
}
