package dev.vigil.agent.supervise;

import dev.vigil.protocol.EventMessage;
import java.time.Instant;

/** Where the camera's events and pictures go (the MQTT link). Called on the coordinator's thread: must not block. */
public interface CameraPublisher {

    /** Publishes {@code event} on {@code B/event}. */
    void event(EventMessage event);

    /** Publishes {@code jpeg}, retained, on {@code B/snapshot}. */
    void snapshot(byte[] jpeg, Instant taken, String requestId);
}
