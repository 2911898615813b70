package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.mqtt.RobotSnapshots;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import dev.vigil.protocol.Command;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The robot's picture, for viewers: {@code GET /robots/{id}/snapshot.jpg} is the latest one (its
 * retained {@code B/snapshot}); {@code POST /robots/{id}/snapshot} asks the robot for a new one
 * (the {@code snapshot} command) and, with {@code ?wait=PT10S}, answers with it once it arrives.
 */
public final class SnapshotApi implements HttpService {

    private final Fleet fleet;
    private final Duration maxWait;
    private final RobotSnapshots snapshots;
    private final CommandReplies commands;
    private final AccessGuard guard;
    private final Clock clock;

    /** @param maxWait the longest {@code ?wait} (views.max-wait) */
    public SnapshotApi(final Fleet fleet, final Duration maxWait, final RobotSnapshots snapshots, final CommandReplies commands,
                       final AccessGuard guard, final Clock clock) {
        this.fleet = fleet;
        this.maxWait = maxWait;
        this.snapshots = snapshots;
        this.commands = commands;
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/robots/{id}/snapshot.jpg", this::snapshot)
                .any("/robots/{id}/snapshot.jpg", Routes::methodNotAllowed)
                .post("/robots/{id}/snapshot", this::take)
                .any("/robots/{id}/snapshot", Routes::methodNotAllowed);
    }

    private void take(final ServerRequest req, final ServerResponse res) {
        if (guard.require(req, res, Role.VIEWER).isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isEmpty()) {
            return;
        }
        final Optional<Duration> waitParam = Routes.waitParam(req, res, maxWait);
        if (waitParam == null) {
            return;
        }
        final Duration wait = waitParam.orElse(null);
        final Instant asked = clock.instant();
        final String requestId = UUID.randomUUID().toString();
        if (!commands.send(res, robot.get(), new Command(Command.Kind.SNAPSHOT, null, requestId))) {
            return;
        }
        if (wait == null) {
            JsonReplies.send(res, Status.ACCEPTED_202, Map.of("robot", robot.get().id(), "command", "snapshot",
                    "requestId", requestId));
            return;
        }
        try {
            final Optional<RobotSnapshots.Picture> picture = snapshots.awaitNewer(robot.get().id(), asked, wait);
            if (picture.isEmpty()) {
                JsonReplies.problem(res, Status.GATEWAY_TIMEOUT_504, "robot " + robot.get().id() + " sent no snapshot within "
                        + wait + " (is it online? its lastError says why it could not take one)");
                return;
            }
            send(res, picture.get());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            JsonReplies.problem(res, Status.SERVICE_UNAVAILABLE_503, "interrupted");
        }
    }

    private void snapshot(final ServerRequest req, final ServerResponse res) {
        if (guard.require(req, res, Role.VIEWER).isEmpty()) {
            return;
        }
        final Optional<RobotSettings> robot = Routes.robot(fleet, req, res);
        if (robot.isEmpty()) {
            return;
        }
        final Optional<RobotSnapshots.Picture> picture = snapshots.latest(robot.get().id());
        if (picture.isEmpty()) {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "robot " + robot.get().id() + " has sent no snapshot yet"
                    + " (send it the snapshot command: POST /robots/" + robot.get().id() + "/snapshot)");
            return;
        }
        send(res, picture.get());
    }

    private static void send(final ServerResponse res, final RobotSnapshots.Picture picture) {
        res.status(Status.OK_200)
                .header(HeaderNames.CONTENT_TYPE, "image/jpeg")
                .header(HeaderNames.CACHE_CONTROL, "private, no-cache")
                .header(HeaderNames.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        picture.received().atOffset(ZoneOffset.UTC)))
                .send(picture.jpeg());
    }
}
