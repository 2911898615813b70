package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.bridge.view.Lease;
import dev.vigil.bridge.view.OpenedLease;
import dev.vigil.bridge.view.RobotHeldException;
import dev.vigil.bridge.view.TooManyViewsException;
import dev.vigil.bridge.view.ViewLeases;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /robots/{id}/views}: open, renew and release view leases. A lease belongs to whoever
 * opened it; only they or an operator may renew or release it (anyone else gets the same 404 as
 * for an unknown id). Opening answers the relay key, the view's credential for the relay, once.
 */
public final class ViewApi implements HttpService {

    private final Fleet fleet;
    private final ViewLeases leases;
    private final CommandSink commands;
    private final AccessGuard guard;
    private final ViewerUrls urls;
    private final Clock clock;

    /** Creates the routes. */
    public ViewApi(final Fleet fleet, final ViewLeases leases, final CommandSink commands,
                   final AccessGuard guard, final ViewerUrls urls, final Clock clock) {
        this.fleet = fleet;
        this.leases = leases;
        this.commands = commands;
        this.guard = guard;
        this.urls = urls;
        this.clock = clock;
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
        final Optional<Principal> by = guard.require(req, res, Role.VIEWER);
        if (by.isEmpty()) {
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
            final OpenedLease opened = leases.open(robot.get(), by.get());
            final Map<String, Object> body = reply(opened.lease());
            body.put("key", opened.key());
            body.put("urls", urls.of(robot.get(), ViewerUrls.host(req)));
            body.put("now", clock.instant().toString());
            JsonReplies.send(res, Status.CREATED_201, body);
        } catch (final TooManyViewsException e) {
            JsonReplies.problem(res, Status.TOO_MANY_REQUESTS_429, e.getMessage());
        } catch (final RobotHeldException e) {
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("detail", e.getMessage());
            body.put("hold", e.hold().wire());
            JsonReplies.send(res, Status.CONFLICT_409, body);
        }
    }

    private void renew(final ServerRequest req, final ServerResponse res) {
        final Optional<Principal> by = guard.require(req, res, Role.VIEWER);
        if (by.isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isEmpty()) {
            return;
        }
        final Optional<Lease> lease = leases.renew(robot.get().id(), req.path().pathParameters().get("lease"), by.get());
        if (lease.isEmpty()) {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "no live view lease of yours with that id; open a new one");
            return;
        }
        JsonReplies.send(res, Status.OK_200, reply(lease.get()));
    }

    private void release(final ServerRequest req, final ServerResponse res) {
        final Optional<Principal> by = guard.require(req, res, Role.VIEWER);
        if (by.isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isEmpty()) {
            return;
        }
        if (leases.release(robot.get().id(), req.path().pathParameters().get("lease"), by.get())) {
            res.status(Status.NO_CONTENT_204).send();
        } else {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "no live view lease of yours with that id");
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
