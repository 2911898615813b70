package dev.vigil.bridge.record;

import dev.vigil.bridge.auth.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The running recordings, at most one per robot: in the registry's database, so that every bridge
 * behind a load balancer shows, stops and ends each one, and a restarted bridge keeps them; or in
 * memory (tests).
 */
public interface RecordingStore {

    /**
     * One recording.
     *
     * @param robotId the robot
     * @param leaseId the view lease it holds, so that the robot streams
     * @param by      the operator who asked (name and kind)
     * @param since   when it started
     * @param until   when it is to end
     */
    record Stored(String robotId, String leaseId, Principal by, Instant since, Instant until) {
    }

    /** Records {@code recording}; answers the one it replaced, if any. */
    Optional<Stored> put(Stored recording);

    /** The recording of {@code robotId}. */
    Optional<Stored> get(String robotId);

    /** Ends the recording of {@code robotId} that holds {@code leaseId}; false when another bridge ended it first. */
    boolean remove(String robotId, String leaseId);

    /** Every running recording. */
    List<Stored> all();
}
