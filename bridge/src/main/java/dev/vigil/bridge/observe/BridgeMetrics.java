package dev.vigil.bridge.observe;

import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.mqtt.RobotStatus;
import java.util.concurrent.atomic.LongAdder;

/** The bridge's counters and gauges, written in the Prometheus text format. */
public final class BridgeMetrics {

    private final LongAdder requests = new LongAdder();
    private final LongAdder publishes = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final RobotRegistry registry;

    /** Creates the metrics; the robot gauges read {@code registry} when scraped. */
    public BridgeMetrics(final RobotRegistry registry) {
        this.registry = registry;
    }

    /** One HTTP request was received. */
    public void request() {
        requests.increment();
    }

    /** One command was confirmed by the broker. */
    public void published() {
        publishes.increment();
    }

    /** One command could not be published. */
    public void publishFailed() {
        publishFailures.increment();
    }

    /** One request had wrong or no credentials where they were needed. */
    public void authFailed() {
        authFailures.increment();
    }

    /** The Prometheus exposition text; {@code mqttConnected} is the connection gauge. */
    public String scrape(final boolean mqttConnected) {
        long online = 0;
        long streaming = 0;
        for (final RobotStatus status : registry.all()) {
            online += status.online() ? 1 : 0;
            streaming += status.streaming() ? 1 : 0;
        }
        final StringBuilder out = new StringBuilder(1024);
        counter(out, "vigil_bridge_requests_total", "HTTP requests received.", requests.sum());
        counter(out, "vigil_bridge_publishes_total", "Commands confirmed by the broker.", publishes.sum());
        counter(out, "vigil_bridge_publish_failures_total", "Commands that could not be published.", publishFailures.sum());
        counter(out, "vigil_bridge_auth_failures_total", "Requests refused for missing or wrong credentials.", authFailures.sum());
        gauge(out, "vigil_bridge_robots_online", "Configured robots whose agent is online.", online);
        gauge(out, "vigil_bridge_robots_streaming", "Configured robots that report streaming.", streaming);
        gauge(out, "vigil_bridge_mqtt_connected", "1 while the broker connection is up.", mqttConnected ? 1 : 0);
        return out.toString();
    }

    private static void counter(final StringBuilder out, final String name, final String help, final long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }
}
