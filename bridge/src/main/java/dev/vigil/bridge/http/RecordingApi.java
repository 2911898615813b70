package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.record.Clip;
import dev.vigil.bridge.record.ClipList;
import dev.vigil.bridge.record.RecordingRefusedException;
import dev.vigil.bridge.record.Recordings;
import dev.vigil.bridge.record.RelayRecordingException;
import dev.vigil.bridge.view.TooManyViewsException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording on request and the recorded clips, behind the bridge's own auth: an operator starts
 * ({@code POST /robots/{id}/recording?duration=PT5M}) and stops ({@code DELETE}) a recording; a
 * viewer sees whether one runs ({@code GET}), lists the clips ({@code GET /robots/{id}/clips}) and
 * watches one ({@code GET /robots/{id}/clip.mp4?start=...&duration=...}, the relay's playback server
 * proxied). The relay's own addresses and credentials never reach a client.
 */
public final class RecordingApi implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingApi.class);
    private static final Status INSUFFICIENT_STORAGE = Status.create(507, "Insufficient Storage");
    private static final double MAX_CLIP_SECONDS = 24 * 3600;

    private final Fleet fleet;
    private final Recordings recordings;
    private final AccessGuard guard;

    public RecordingApi(final Fleet fleet, final Recordings recordings, final AccessGuard guard) {
        this.fleet = fleet;
        this.recordings = recordings;
        this.guard = guard;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/robots/{id}/recording", this::start)
                .delete("/robots/{id}/recording", this::stop)
                .get("/robots/{id}/recording", this::status)
                .any("/robots/{id}/recording", Routes::methodNotAllowed)
                .get("/robots/{id}/clips", this::clips)
                .any("/robots/{id}/clips", Routes::methodNotAllowed)
                .get("/robots/{id}/clip.mp4", this::clip)
                .any("/robots/{id}/clip.mp4", Routes::methodNotAllowed);
    }

    /** Who asks about which robot; empty when the answer (401, 403, 404) has been sent. */
    private record Target(Principal principal, RobotSettings robot) {
    }

    private Optional<Target> target(final ServerRequest req, final ServerResponse res, final Role role) {
        final Optional<Principal> principal = guard.require(req, res, role);
        if (principal.isEmpty()) {
            return Optional.empty();
        }
        if (!recordings.enabled()) {
            JsonReplies.problem(res, Status.NOT_FOUND_404, "recording is not configured on this bridge (vigil.bridge.recording)");
            return Optional.empty();
        }
        return Routes.robot(fleet, req, res).map(robot -> new Target(principal.get(), robot));
    }

    private Optional<RobotSettings> robot(final ServerRequest req, final ServerResponse res, final Role role) {
        return target(req, res, role).map(Target::robot);
    }

    private void start(final ServerRequest req, final ServerResponse res) {
        final Optional<Target> target = target(req, res, Role.OPERATOR);
        if (target.isEmpty()) {
            return;
        }
        final RobotSettings robot = target.get().robot();
        final Duration duration;
        try {
            duration = req.query().first("duration").asOptional().map(Duration::parse).orElse(recordings.maxDuration());
        } catch (final DateTimeParseException e) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "duration must be an ISO-8601 duration such as PT5M");
            return;
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(recordings.maxDuration()) > 0) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "duration must be longer than zero and at most "
                    + recordings.maxDuration());
            return;
        }
        try {
            final Recordings.Active active = recordings.start(robot, duration, target.get().principal());
            JsonReplies.send(res, Status.CREATED_201, body(robot.id(), active));
        } catch (final RecordingRefusedException e) {
            JsonReplies.problem(res, e.reason() == RecordingRefusedException.Reason.DISK_FULL ? INSUFFICIENT_STORAGE
                    : Status.CONFLICT_409, e.getMessage());
        } catch (final TooManyViewsException e) {
            JsonReplies.problem(res, Status.CONFLICT_409, e.getMessage());
        } catch (final RelayRecordingException e) {
            LOG.warn("Recording robot {} failed: {}", robot.id(), e.getMessage());
            JsonReplies.problem(res, Status.BAD_GATEWAY_502, e.getMessage());
        }
    }

    private void stop(final ServerRequest req, final ServerResponse res) {
        final Optional<Target> target = target(req, res, Role.OPERATOR);
        if (target.isEmpty()) {
            return;
        }
        final RobotSettings robot = target.get().robot();
        try {
            if (recordings.stop(robot, "stopped by " + target.get().principal().name())) {
                JsonReplies.send(res, Status.OK_200, body(robot.id(), null));
            } else {
                JsonReplies.problem(res, Status.NOT_FOUND_404, "robot " + robot.id() + " is not recording");
            }
        } catch (final RelayRecordingException e) {
            LOG.warn("Stopping the recording of robot {} failed: {}", robot.id(), e.getMessage());
            JsonReplies.problem(res, Status.BAD_GATEWAY_502, e.getMessage());
        }
    }

    private void status(final ServerRequest req, final ServerResponse res) {
        robot(req, res, Role.VIEWER).ifPresent(robot -> {
            final Map<String, Object> body = body(robot.id(), recordings.active(robot.id()).orElse(null));
            recordings.stopped(robot.id()).ifPresent(stopped -> {
                final Map<String, Object> last = new LinkedHashMap<>();
                last.put("at", stopped.at().toString());
                last.put("cause", stopped.cause().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                last.put("reason", stopped.reason());
                body.put("stopped", last);
            });
            JsonReplies.send(res, Status.OK_200, body);
        });
    }

    private void clips(final ServerRequest req, final ServerResponse res) {
        final Optional<RobotSettings> robot = robot(req, res, Role.VIEWER);
        if (robot.isEmpty()) {
            return;
        }
        try {
            final ClipList listed = recordings.clips(robot.get());
            final List<Map<String, Object>> clips = new ArrayList<>();
            for (final Clip clip : listed.clips()) {
                final Map<String, Object> item = new LinkedHashMap<>();
                item.put("start", clip.start().toString());
                item.put("duration", clip.duration());
                item.put("url", "/robots/" + robot.get().id() + "/clip.mp4?start="
                        + URLEncoder.encode(clip.start().toString(), StandardCharsets.UTF_8)
                        + "&duration=" + String.format(Locale.ROOT, "%.3f", clip.duration()));
                clips.add(item);
            }
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("robot", robot.get().id());
            body.put("clips", clips);
            body.put("unreadable", listed.unreadable().stream().map(Instant::toString).toList());
            if (!listed.unreadable().isEmpty()) {
                final String note = listed.unreadable().size() + " recording segment(s) cannot be read (a write that failed,"
                        + " e.g. on a full disk, left them empty); the clips around them are listed";
                LOG.info("Clips of robot {}: {}", robot.get().id(), note);
                body.put("note", note);
            }
            JsonReplies.send(res, Status.OK_200, body);
        } catch (final RelayRecordingException e) {
            LOG.warn("Listing the clips of robot {} failed: {}", robot.get().id(), e.getMessage());
            JsonReplies.problem(res, Status.BAD_GATEWAY_502, e.getMessage());
        }
    }

    private void clip(final ServerRequest req, final ServerResponse res) {
        final Optional<RobotSettings> robot = robot(req, res, Role.VIEWER);
        if (robot.isEmpty()) {
            return;
        }
        final Instant start;
        final double seconds;
        try {
            start = OffsetDateTime.parse(req.query().first("start").orElse("")).toInstant();
            seconds = Double.parseDouble(req.query().first("duration").orElse(""));
        } catch (final DateTimeParseException | NumberFormatException e) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400,
                    "a clip needs start (an RFC 3339 time, as /clips lists it) and duration (seconds)");
            return;
        }
        if (!(seconds > 0 && seconds <= MAX_CLIP_SECONDS)) {
            JsonReplies.problem(res, Status.BAD_REQUEST_400, "duration must be more than 0 and at most " + (long) MAX_CLIP_SECONDS + " seconds");
            return;
        }
        final HttpResponse<InputStream> clip;
        try {
            clip = recordings.relay().open(robot.get().relayPath(), start, seconds);
        } catch (final RelayRecordingException e) {
            JsonReplies.problem(res, e.getMessage().startsWith("no recording") ? Status.NOT_FOUND_404 : Status.BAD_GATEWAY_502,
                    e.getMessage());
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "video/mp4");
        res.header(HeaderNames.CONTENT_DISPOSITION, "inline; filename=\"" + robot.get().id() + "-"
                + start.toString().replace(':', '-') + ".mp4\"");
        clip.headers().firstValue("Content-Length").ifPresent(length -> res.header(HeaderNames.CONTENT_LENGTH, length));
        try (InputStream in = clip.body(); OutputStream out = res.outputStream()) {
            in.transferTo(out);
        } catch (final IOException e) {
            // The player went away (or the relay did) in the middle: nothing more can be said to it.
            LOG.info("A clip of robot {} was cut short: {}", robot.get().id(), e.getClass().getSimpleName());
        }
    }

    private static Map<String, Object> body(final String robotId, final Recordings.Active active) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("robot", robotId);
        if (active == null) {
            body.put("recording", null);
        } else {
            final Map<String, Object> recording = new LinkedHashMap<>();
            recording.put("since", active.since().toString());
            recording.put("until", active.until().toString());
            recording.put("by", active.by());
            body.put("recording", recording);
        }
        return body;
    }
}
