package dev.vigil.bridge;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.mqtt.BrokerUnavailableException;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.bridge.mqtt.PublishFailedException;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake broker for unit tests: records what was sent, or fails as told. */
public final class RecordingSink implements CommandSink {

    /** How the fake behaves. */
    public enum Mode { OK, DISCONNECTED, REFUSING }

    /** One recorded command. */
    public record Sent(String robotId, String topic, Command command) {
    }

    /** One recorded hold. */
    public record Held(String robotId, ControlMessage control) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Held> holds = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.OK;
    private volatile String refusal = "";

    /** Sets the behaviour; {@code refusal} is the broker's reason in REFUSING mode. */
    public void mode(final Mode newMode, final String reason) {
        this.mode = newMode;
        this.refusal = reason;
    }

    /** Everything sent so far. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Every hold published so far. */
    public List<Held> holds() {
        return List.copyOf(holds);
    }

    /** Forgets what was sent and goes back to OK. */
    public void reset() {
        sent.clear();
        holds.clear();
        mode = Mode.OK;
    }

    @Override
    public boolean connected() {
        return mode != Mode.DISCONNECTED;
    }

    @Override
    public void send(final RobotSettings robot, final Command command)
            throws BrokerUnavailableException, PublishFailedException {
        switch (mode) {
            case DISCONNECTED -> throw new BrokerUnavailableException("MQTT broker is not connected");
            case REFUSING -> throw new PublishFailedException(refusal);
            default -> sent.add(new Sent(robot.id(), robot.baseTopic(), command));
        }
    }

    @Override
    public void publishHold(final RobotSettings robot, final ControlMessage control)
            throws BrokerUnavailableException, PublishFailedException {
        switch (mode) {
            case DISCONNECTED -> throw new BrokerUnavailableException("MQTT broker is not connected");
            case REFUSING -> throw new PublishFailedException(refusal);
            default -> holds.add(new Held(robot.id(), control));
        }
    }

    @Override
    public void sendLater(final RobotSettings robot, final Command command) {
        if (mode == Mode.OK) {
            sent.add(new Sent(robot.id(), robot.baseTopic(), command));
        }
    }
}
