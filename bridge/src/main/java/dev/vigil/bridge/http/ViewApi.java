package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.bridge.view.Lease;
import dev.vigil.bridge.view.TooManyViewsException;
import dev.vigil.bridge.view.ViewLeases;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code /robots/{id}/views}: open, renew and release view leases. */
public final class ViewApi implements HttpService {

    private final Fleet fleet;
    private final ViewLeases leases;
    private final CommandSink commands;
    private final AccessGuard guard;
    private final ViewerUrls urls;

    /** Creates the routes. */
    public ViewApi(final Fleet fleet, final ViewLeases leases, final CommandSink commands,
                   final AccessGuard guard, final ViewerUrls urls) {
        this.fleet = fleet;
        this.leases = leases;
        this.commands = commands;
        this.guard = guard;
        this.urls = urls;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/robots/{id}/views", this::open)
                .put("/robots/{id}/views/{lease}", this::renew)
                .delete("/robots/{id}/views/{lease}", this::release)
                .any("/robots/{id}/views", Routes::methodNotAllowed)
                .any("/robots/{id}/views/{lease}", Routes::methodNotAllowed);
    }

    private void open(final ServerRequest req, final ServerResponse res) {
        if (guard.require(req, res, Role.VIEWER).isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isEmpty()) {
            return;
        }
        if (!commands.connected()) {
            JsonReplies.unavailable(res, Duration.ofSeconds(2), "the MQTT broker is not connected; retry later");
            return;
        }
        try {
            final Lease lease = leases.open(robot.get());
            final Map<String, Object> body = reply(lease);
            body.put("urls", urls.of(robot.get()));
            JsonReplies.send(res, Status.CREATED_201, body);
        } catch (final TooManyViewsException e) {
            JsonReplies.problem(res, Status.TOO_MANY_REQUESTS_429, e.getMessage());
        }
    }

    private void renew(final ServerRequest req, final ServerResponse res) {
        if (guard.require(req, res, Role.VIEWER).isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isEmpty()) {
            return;
        }
        final String id = req.path().pathParameters().get("lease");
        final Optional<Lease> lease = leases.renew(robot.get().id(), id);
        if (lease.isEmpty()) {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "no live view lease with that id; open a new one");
            return;
        }
        JsonReplies.send(res, Status.OK_200, reply(lease.get()));
    }

    private void release(final ServerRequest req, final ServerResponse res) {
        if (guard.require(req, res, Role.VIEWER).isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isEmpty()) {
            return;
        }
        if (leases.release(robot.get().id(), req.path().pathParameters().get("lease"))) {
            res.status(Status.NO_CONTENT_204).send();
        } else {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "no live view lease with that id");
        }
    }

    private static Map<String, Object> reply(final Lease lease) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("lease", lease.id());
        body.put("robot", lease.robotId());
        body.put("ttl", lease.ttl().toString());
        body.put("expires", lease.until().toString());
        return body;
    }
}
