package dev.vigil.bridge.http;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.mqtt.RobotSnapshots;
import dev.vigil.bridge.mqtt.RobotStatus;
import dev.vigil.bridge.view.ViewLeases;
import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.StateMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of one robot, as {@code GET /robots/{id}} and the {@code robot} events show it. */
public final class RobotJson {

    private final ViewerUrls urls;
    private final ViewLeases leases;
    private final RobotSnapshots snapshots;

    /** Creates the writer. */
    public RobotJson(final ViewerUrls urls, final ViewLeases leases, final RobotSnapshots snapshots) {
        this.urls = urls;
        this.leases = leases;
        this.snapshots = snapshots;
    }

    /** The robot's fields, with viewer URLs for a client that reached us as {@code host}; see bridge/README.md. */
    public Map<String, Object> of(final RobotSettings robot, final RobotStatus status, final String host) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", robot.id());
        json.put("online", status.online());
        json.put("availability", status.availability());
        final StateMessage state = status.state();
        json.put("state", state == null ? "unknown" : state.state().wire());
        json.put("desired", state == null ? null : state.desired().wire());
        json.put("since", state == null ? null : state.since().toString());
        json.put("restarts", state == null ? 0 : state.restarts());
        json.put("pipeline", state == null ? null : state.pipeline());
        json.put("lastError", state == null ? null : state.lastError());
        json.put("requestId", state == null ? null : state.requestId());
        json.put("leaseUntil", state == null || state.leaseUntil() == null ? null : state.leaseUntil().toString());
        json.put("leases", state == null ? List.of() : state.leases());
        json.put("motion", state == null ? null : state.motion() ? "on" : "off");
        json.put("snapshot", snapshots.latest(robot.id()).map(p -> p.received().toString()).orElse(null));
        json.put("updated", status.updated() == null ? null : status.updated().toString());
        json.put("views", leases.count(robot.id()));
        json.put("stopsAt", leases.stopsAt(robot.id()).map(Instant::toString).orElse(null));
        json.put("relayAvailable", status.relayAvailable());
        json.put("relayPath", robot.relayPath());
        final ControlMessage control = status.control();
        json.put("hold", status.hold().wire());
        json.put("holdBy", control == null ? null : control.by());
        json.put("holdSince", control == null || !control.hold().holds() ? null : control.since().toString());
        json.put("holdConfirmed", state != null && state.hold() == status.hold());
        json.put("urls", urls.of(robot, host));
        return json;
    }
}
