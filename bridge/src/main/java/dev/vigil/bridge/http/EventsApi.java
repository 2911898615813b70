package dev.vigil.bridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.mqtt.RobotStatus;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /robots/events}: Server-Sent Events. One {@code robot} event per robot on connect,
 * then one on every change of a robot's retained state, availability, hold or views, and a comment
 * line as a heartbeat. Each stream holds one virtual thread and ends when the client goes away, or
 * at the next heartbeat after the session it was opened with has been signed out. A client that
 * reads slower than robots change gets each robot's latest state, never a backlog (see
 * {@link LatestByRobot}).
 */
public final class EventsApi implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(EventsApi.class);
    private final Fleet fleet;
    private final RobotRegistry registry;
    private final AccessGuard guard;
    private final RobotJson json;
    private final Duration heartbeat;
    private final java.util.function.Predicate<String> sessionLive;

    /** Creates the route; {@code sessionLive} tells whether a session token is still signed in. */
    public EventsApi(final BridgeSettings settings, final Fleet fleet, final RobotRegistry registry,
                     final AccessGuard guard, final RobotJson json, final java.util.function.Predicate<String> sessionLive) {
        this.fleet = fleet;
        this.registry = registry;
        this.guard = guard;
        this.json = json;
        this.heartbeat = settings.heartbeat();
        this.sessionLive = sessionLive;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/robots/events", this::events);
    }

    private void events(final ServerRequest req, final ServerResponse res) throws InterruptedException {
        if (guard.require(req, res, Role.VIEWER).isEmpty()) {
            return;
        }
        final String host = ViewerUrls.host(req);
        final java.util.Optional<String> session = req.headers().contains(io.helidon.http.HeaderNames.AUTHORIZATION)
                ? java.util.Optional.empty() : AccessGuard.sessionToken(req);
        final LatestByRobot changes = new LatestByRobot();
        final Consumer<RobotStatus> listener = changes::offer;
        registry.addListener(listener);
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            for (final RobotSettings robot : fleet.robots()) {
                emit(sink, robot, registry.status(robot.id()), host);
            }
            while (true) {
                final RobotStatus change = changes.poll(heartbeat);
                if (change == null) {
                    if (session.isPresent() && !sessionLive.test(session.get())) {
                        LOG.debug("Event stream closed: its session was signed out");
                        return;
                    }
                    sink.emit(SseEvent.builder().comment("heartbeat").build());
                } else {
                    final Optional<RobotSettings> robot = fleet.robot(change.id());
                    if (robot.isPresent()) {
                        emit(sink, robot.get(), change, host);
                    }
                }
            }
        } catch (final UncheckedIOException e) {
            LOG.debug("Event stream closed: {}", e.getMessage());
        } finally {
            registry.removeListener(listener);
        }
    }

    private void emit(final SseSink sink, final RobotSettings robot, final RobotStatus status, final String host) {
        try {
            sink.emit(SseEvent.builder().name("robot")
                    .data(JsonReplies.MAPPER.writeValueAsString(json.of(robot, status, host))).build());
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a robot event", e);
        }
    }
}
