package dev.vigil.agent.motion;

import dev.vigil.protocol.EventMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What motion leads to, decided without side effects: motion that begins while motion mode is on
 * gives a {@code motion} event and a leased stream (a new one at idle, the running one extended),
 * unless an earlier event is less than the cool-down ago and nothing streams; motion that ends gives
 * a {@code motion-end} event, and while streaming a lease that runs from the end. The stream is held
 * in motion's own name ({@code motion}, see {@link dev.vigil.protocol.Command}), so a viewer who
 * leaves does not end it, and motion that ends does not end a stream that someone else holds. The
 * caller (the camera coordinator) carries the decision out, renews motion's lease while motion goes
 * on ({@link #moving()}), and refuses the stream itself under an operator's hold.
 */
public final class MotionPolicy {

    private final Duration cooldown;
    private final Duration streamLease;
    private final Clock clock;
    private final AtomicLong events = new AtomicLong();
    private Instant lastEvent;
    private boolean moving;
    private boolean announced;
    private String motionRequest;

    /**
     * What to do about one signal.
     *
     * @param event     the event to publish on {@code B/event}, if any
     * @param lease     motion's lease of the stream to start or extend, if any
     * @param requestId the request id of that stream (and of a motion event): the announced motion's
     * @param reason    why, for the log
     */
    public record Decision(Optional<EventMessage> event, Optional<Duration> lease, String requestId, String reason) {

        static Decision nothing(final String reason) {
            return new Decision(Optional.empty(), Optional.empty(), null, reason);
        }
    }

    public MotionPolicy(final Duration cooldown, final Duration streamLease, final Clock clock) {
        this.cooldown = cooldown;
        this.streamLease = streamLease;
        this.clock = clock;
    }

    /**
     * Decides about {@code signal}.
     *
     * @param enabled   whether motion mode is on
     * @param streaming whether a stream runs (then motion extends it, cool-down or not)
     */
    public synchronized Decision decide(final MotionSignal signal, final boolean enabled, final boolean streaming) {
        final Instant now = clock.instant();
        switch (signal.kind()) {
            case BEGIN -> {
                moving = true;
                if (!enabled) {
                    return Decision.nothing("motion mode is off");
                }
                if (announced) {
                    // The same motion, now seen by the stream's branch: no new event, but it keeps the stream.
                    return streaming ? new Decision(Optional.empty(), Optional.of(streamLease), motionRequest,
                            "the motion goes on: the lease is extended") : Decision.nothing("the motion goes on");
                }
                if (!streaming && lastEvent != null && Duration.between(lastEvent, now).compareTo(cooldown) < 0) {
                    return Decision.nothing("motion within the " + cooldown.toSeconds() + " s cool-down of the last event");
                }
                announced = true;
                lastEvent = now;
                final String requestId = "motion-" + events.incrementAndGet();
                motionRequest = requestId;
                return new Decision(Optional.of(new EventMessage(EventMessage.Type.MOTION, now, requestId, signal.area())),
                        Optional.of(streamLease), requestId, streaming ? "motion while streaming: the lease is extended"
                        : "motion: a leased stream starts");
            }
            case FINISHED -> {
                final boolean wasAnnounced = announced;
                moving = false;
                announced = false;
                if (!wasAnnounced) {
                    return Decision.nothing("motion ended without an event");
                }
                return new Decision(Optional.of(new EventMessage(EventMessage.Type.MOTION_END, now, null, null)),
                        streaming ? Optional.of(streamLease) : Optional.empty(), motionRequest,
                        streaming ? "motion ended: the stream goes on for its lease" : "motion ended");
            }
            default -> {
                return Decision.nothing(signal.kind() == MotionSignal.Kind.ERROR ? "motioncells reported an error" : "no motion");
            }
        }
    }

    /** Whether motion has begun and not ended (a stream it keeps must not end meanwhile). */
    public synchronized boolean moving() {
        return moving;
    }

    /** The request id of the motion last announced (motion's lease carries it), or {@code null}. */
    public synchronized String motionRequest() {
        return motionRequest;
    }

    /**
     * The pipeline that saw the motion is gone (the watcher gave the camera to the stream, or the
     * stream is restarted): nothing is known to move until the next pipeline says so, but an event
     * already published stays the event of this motion, so the next pipeline seeing it too publishes no other.
     */
    public synchronized void pipelineGone() {
        moving = false;
    }

    /** Forgets a motion in progress: its pipeline is gone, so no end will come. */
    public synchronized void reset() {
        moving = false;
        announced = false;
    }
}
