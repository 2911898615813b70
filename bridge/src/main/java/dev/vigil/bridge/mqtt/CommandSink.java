package dev.vigil.bridge.mqtt;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;

/** Where commands to robots go: the broker in production, a recording fake in unit tests. */
public interface CommandSink {

    /** Whether commands can be sent right now. */
    boolean connected();

    /**
     * Publishes {@code command} on the robot's command topic and waits, bounded, for the broker.
     *
     * @throws BrokerUnavailableException when not connected (nothing was sent)
     * @throws PublishFailedException     when the broker refused or did not confirm in time
     */
    void send(RobotSettings robot, Command command) throws BrokerUnavailableException, PublishFailedException;

    /** Publishes without waiting; failures are logged and counted. Used by timers. */
    void sendLater(RobotSettings robot, Command command);

    /**
     * Publishes the operator's hold retained on the robot's {@code B/control} and waits, bounded,
     * for the broker.
     *
     * @throws BrokerUnavailableException when not connected (nothing was sent)
     * @throws PublishFailedException     when the broker refused or did not confirm in time
     */
    void publishHold(RobotSettings robot, ControlMessage control) throws BrokerUnavailableException, PublishFailedException;
}
