package dev.vigil.bridge.mqtt;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;

/**
 * A {@link CommandSink} that notes in the registry every start, stop and hold it passes on, so that
 * the relay's questions can be answered from the latest word (this bridge's own start counts at
 * once, before the agent's state says so). The camera's other commands (snapshot, motion on and
 * off) say nothing about whether the robot should stream, so they are not noted.
 */
public final class TrackedCommands implements CommandSink {

    private final CommandSink sink;
    private final RobotRegistry registry;

    /** Wraps {@code sink}. */
    public TrackedCommands(final CommandSink sink, final RobotRegistry registry) {
        this.sink = sink;
        this.registry = registry;
    }

    @Override
    public boolean connected() {
        return sink.connected();
    }

    @Override
    public void send(final RobotSettings robot, final Command command)
            throws BrokerUnavailableException, PublishFailedException {
        // Noted first: the agent may publish before the broker's PUBACK reaches us.
        note(robot, command);
        sink.send(robot, command);
    }

    @Override
    public void sendLater(final RobotSettings robot, final Command command) {
        note(robot, command);
        sink.sendLater(robot, command);
    }

    private void note(final RobotSettings robot, final Command command) {
        if (command.kind() == Command.Kind.START || command.kind() == Command.Kind.STOP) {
            registry.commandSent(robot.id(), command.kind());
        }
    }

    @Override
    public void publishHold(final RobotSettings robot, final ControlMessage control)
            throws BrokerUnavailableException, PublishFailedException {
        sink.publishHold(robot, control);
        registry.acceptControl(robot.id(), control);
    }
}
