package dev.vigil.bridge.mqtt;

import dev.vigil.protocol.Snapshots;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each robot's latest picture, the retained JPEG of {@code B/snapshot}: at most
 * {@link Snapshots#MAX_BYTES} per robot, so a fleet's pictures stay a bounded cache. Anything that is
 * not a whole JPEG of that size is ignored with a warning; an empty retained payload clears it.
 */
public final class RobotSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(RobotSnapshots.class);

    /**
     * A picture and when this bridge received it.
     *
     * @param jpeg     the bytes
     * @param received when they arrived
     */
    public record Picture(byte[] jpeg, Instant received) {
    }

    private final Map<String, Picture> pictures = new ConcurrentHashMap<>();

    /** Takes a payload of robot {@code id}'s snapshot topic. */
    void accept(final String id, final byte[] payload, final Instant now) {
        if (payload.length == 0) {
            pictures.remove(id);
            return;
        }
        final String problem = Snapshots.problemWith(payload);
        if (problem != null) {
            LOG.warn("Ignoring the snapshot of robot {}: {}", id, problem);
            return;
        }
        pictures.put(id, new Picture(payload.clone(), now));
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Waits up to {@code timeout} for a picture of robot {@code id} received after {@code after}.
     *
     * @return the picture, or empty when none came in time
     */
    public Optional<Picture> awaitNewer(final String id, final Instant after, final java.time.Duration timeout)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                final Picture picture = pictures.get(id);
                if (picture != null && picture.received().isAfter(after)) {
                    return Optional.of(picture);
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Forgets the pictures of robots that are not in {@code ids} (they left the fleet). */
    void retain(final java.util.Set<String> ids) {
        pictures.keySet().retainAll(ids);
    }

        /** Robot {@code id}'s latest picture. */
    public Optional<Picture> latest(final String id) {
        return Optional.ofNullable(pictures.get(id));
    }
}
