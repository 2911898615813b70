package dev.vigil.bridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The encoded JSON of each robot as {@code GET /robots} sends it, kept until something it shows
 * changes (the robot's status, its views or hold: {@link dev.vigil.bridge.mqtt.RobotRegistry}'s
 * listeners; the fleet itself: {@link #clear()}). A fleet's list then costs a copy of bytes, not a
 * thousand encodings. Kept per host name the client used (the URLs hold it), for a few hosts.
 */
final class RobotJsonCache {

    private static final int MAX_HOSTS = 8;

    private final Map<String, Map<String, byte[]>> byHost = new ConcurrentHashMap<>();

    /** The robot's JSON for {@code host}, encoded by {@code encode} when not kept. */
    byte[] of(final String robotId, final String host, final Supplier<Map<String, Object>> encode) {
        if (byHost.size() >= MAX_HOSTS && !byHost.containsKey(host)) {
            byHost.clear();
        }
        return byHost.computeIfAbsent(host, h -> new ConcurrentHashMap<>()).computeIfAbsent(robotId, id -> {
            try {
                return JsonReplies.MAPPER.writeValueAsBytes(encode.get());
            } catch (final JsonProcessingException e) {
                throw new IllegalStateException("cannot encode robot " + id, e);
            }
        });
    }

    /** Forgets robot {@code robotId}'s JSON (it changed). */
    void invalidate(final String robotId) {
        for (final Map<String, byte[]> robots : byHost.values()) {
            robots.remove(robotId);
        }
    }

    /** Forgets everything (robots joined or left). */
    void clear() {
        byHost.clear();
    }
}
