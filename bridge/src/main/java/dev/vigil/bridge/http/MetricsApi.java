package dev.vigil.bridge.http;

import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.bridge.observe.BridgeMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/** {@code GET /observe/metrics}: the Prometheus text format, for a viewer (Prometheus sends a bearer token). */
public final class MetricsApi implements HttpService {

    private final BridgeMetrics metrics;
    private final AccessGuard guard;
    private final CommandSink commands;

    /** Creates the route. */
    public MetricsApi(final BridgeMetrics metrics, final AccessGuard guard, final CommandSink commands) {
        this.metrics = metrics;
        this.guard = guard;
        this.commands = commands;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/observe/metrics", (req, res) -> {
            if (guard.require(req, res, Role.VIEWER).isPresent()) {
                res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").send(metrics.scrape(commands.connected()));
            }
        });
    }
}
