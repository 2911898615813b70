package dev.vigil.agent;

import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.Hold;
import dev.vigil.protocol.InvalidMessageException;
import dev.vigil.protocol.StateMessage;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the MQTT link and the supervisor and keeps an operator's hold ({@code B/control},
 * retained): while the robot is stopped by an operator or its camera is disabled for privacy, every
 * {@code start} is refused (and said so in {@code lastError}), whoever sent it. A hold that arrives
 * stops the stream. Every state the supervisor publishes goes out with the hold it enforces, so the
 * bridge and the page see that the robot itself keeps it. Anything that may start the camera later
 * (motion) must come through here too.
 */
final class HoldGate {

    private static final Logger LOG = LoggerFactory.getLogger(HoldGate.class);

    private final Consumer<Command> supervisor;
    private final Consumer<String> refusals;
    private final Clock clock;
    private final HoldFile file;
    private Consumer<StateMessage> publisher = state -> { };
    private Consumer<Hold> holdListener = hold -> { };
    private ControlMessage control;
    private StateMessage latest;

    /**
     * @param supervisor receives the commands that may pass, and a stop when a hold arrives
     * @param refusals   receives the one-line reason of every refused or malformed message
     * @param file       keeps the hold across restarts; its hold applies from the start
     */
    HoldGate(final Consumer<Command> supervisor, final Consumer<String> refusals, final Clock clock, final HoldFile file) {
        this.supervisor = supervisor;
        this.refusals = refusals;
        this.clock = clock;
        this.file = file;
        this.control = file.load(clock.instant()).orElseGet(() -> new ControlMessage(Hold.NONE, null, clock.instant()));
    }

    /** Where states go, with the hold added (the MQTT link). */
    synchronized void publishTo(final Consumer<StateMessage> states) {
        this.publisher = states;
    }

    /** Who else must know each hold as it changes (the camera: no watcher and no picture under a hold). */
    synchronized void onHold(final Consumer<Hold> listener) {
        this.holdListener = listener;
    }

    /** A command from {@code B}: a start is refused while a hold is on. */
    void command(final Command command) {
        final ControlMessage now;
        synchronized (this) {
            now = control;
        }
        if (command.kind() == Command.Kind.START && now.hold().holds()) {
            final String reason = "start refused: " + describe(now);
            LOG.warn("{}; an operator must {} first", reason, now.hold() == Hold.PRIVACY ? "enable the camera" : "start it");
            refusals.accept(reason);
            return;
        }
        supervisor.accept(command);
    }

    /** The retained payload of {@code B/control}. */
    void control(final byte[] payload) {
        final ControlMessage message;
        try {
            message = ControlMessage.decode(payload, clock.instant());
        } catch (final InvalidMessageException e) {
            LOG.warn("ignored a control message: {}; keeping hold '{}'", e.getMessage(), hold().wire());
            refusals.accept("control message: " + e.getMessage());
            return;
        }
        final Hold before;
        synchronized (this) {
            before = control.hold();
            control = message;
            file.save(message);
            if (latest != null) {
                publisher.accept(latest.withHold(message.hold()));
            }
            holdListener.accept(message.hold());
        }
        if (message.hold().holds()) {
            if (before != message.hold()) {
                LOG.info("hold on: {}; stopping the stream and refusing every start", describe(message));
            }
            supervisor.accept(Command.stop());
        } else if (before.holds()) {
            LOG.info("hold lifted{}", message.by() == null ? "" : " by " + message.by());
        }
    }

    /** A state from the supervisor; it is published with the current hold. */
    synchronized void state(final StateMessage state) {
        latest = state;
        publisher.accept(state.withHold(control.hold()));
    }

    /** The hold in force. */
    synchronized Hold hold() {
        return control.hold();
    }

    private static String describe(final ControlMessage message) {
        final String what = message.hold() == Hold.PRIVACY ? "the camera is disabled (privacy)" : "stopped by an operator";
        return what + (message.by() == null ? "" : " (" + message.by() + ")");
    }
}
