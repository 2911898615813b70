package dev.vigil.bridge.record;

import dev.vigil.bridge.auth.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The last recording of each robot, running or ended (with when and why): in the registry's
 * database, so that every bridge behind a load balancer shows, stops and ends each one, and a
 * restarted bridge keeps them; or in memory (tests).
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
     * @param ended   how it ended; null while it runs
     */
    record Stored(String robotId, String leaseId, Principal by, Instant since, Instant until, Recordings.Stopped ended) {

        /** Whether it still runs. */
        public boolean running() {
            return ended == null;
        }
    }

    /** Records the running {@code recording}; answers the one it replaced, if that was still running. */
    Optional<Stored> put(Stored recording);

    /** The last recording of {@code robotId}, running or ended. */
    Optional<Stored> get(String robotId);

    /** Ends the running recording of {@code robotId} that holds {@code leaseId}; false when another bridge ended it first. */
    boolean end(String robotId, String leaseId, Recordings.Stopped how);

    /** Every running recording. */
    List<Stored> running();
}
