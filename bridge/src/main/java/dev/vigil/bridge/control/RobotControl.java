package dev.vigil.bridge.control;

import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.mqtt.BrokerUnavailableException;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.bridge.mqtt.PublishFailedException;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.relay.RelayKicker;
import dev.vigil.bridge.view.RobotHeldException;
import dev.vigil.bridge.view.ViewLeases;
import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.Hold;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator does to a robot, and what holds afterwards. A stop, or disabling the camera,
 * publishes the hold retained on {@code B/control} (the robot itself then refuses every start, also
 * after a restart), sends {@code stop}, revokes every view of the robot and disconnects its readers
 * and publisher at the relay. The robot stays off until an operator starts it again (which lifts a
 * stop, never a disabled camera) or enables the camera.
 */
public final class RobotControl {

    private static final Logger LOG = LoggerFactory.getLogger(RobotControl.class);

    private final RobotRegistry registry;
    private final CommandSink commands;
    private final ViewLeases leases;
    private final RelayKicker kicker;
    private final Clock clock;

    /** Creates the control. */
    public RobotControl(final RobotRegistry registry, final CommandSink commands, final ViewLeases leases,
                        final RelayKicker kicker, final Clock clock) {
        this.registry = registry;
        this.commands = commands;
        this.leases = leases;
        this.kicker = kicker;
        this.clock = clock;
    }

    /** An operator's stop: the robot stays off until an operator starts it again. */
    public void stop(final RobotSettings robot, final Principal by) throws BrokerUnavailableException, PublishFailedException {
        hold(robot, by, registry.status(robot.id()).hold() == Hold.PRIVACY ? Hold.PRIVACY : Hold.STOPPED);
    }

    /** Disables the camera (privacy): nothing starts it until an operator enables it again. */
    public void disableCamera(final RobotSettings robot, final Principal by)
            throws BrokerUnavailableException, PublishFailedException {
        hold(robot, by, Hold.PRIVACY);
    }

    /** Enables the camera again (or lifts a stop): the robot stays idle until someone watches or an operator starts it. */
    public void enableCamera(final RobotSettings robot, final Principal by)
            throws BrokerUnavailableException, PublishFailedException {
        if (registry.status(robot.id()).hold().holds()) {
            commands.publishHold(robot, new ControlMessage(Hold.NONE, name(by), clock.instant()));
            LOG.info("Robot {}: hold lifted by {}", robot.id(), name(by));
        }
    }

    /**
     * An operator's start ({@code command} is a start): lifts a stop, and is refused while the
     * camera is disabled.
     */
    public void start(final RobotSettings robot, final Principal by, final Command command)
            throws RobotHeldException, BrokerUnavailableException, PublishFailedException {
        final Hold hold = registry.status(robot.id()).hold();
        if (hold == Hold.PRIVACY) {
            throw new RobotHeldException(hold, "the camera of robot " + robot.id()
                    + " is disabled (privacy); enable it first (POST /robots/" + robot.id() + "/camera/enable)");
        }
        if (hold == Hold.STOPPED) {
            commands.publishHold(robot, new ControlMessage(Hold.NONE, name(by), clock.instant()));
            LOG.info("Robot {}: the stop is lifted by {}'s start", robot.id(), name(by));
        }
        commands.send(robot, command);
    }

    private void hold(final RobotSettings robot, final Principal by, final Hold hold)
            throws BrokerUnavailableException, PublishFailedException {
        commands.publishHold(robot, new ControlMessage(hold, name(by), clock.instant()));
        // Also for an agent that predates holds; the hold makes it stick.
        commands.send(robot, Command.stop());
        final int views = leases.revokeAll(robot.id());
        LOG.info("Robot {}: {} by {}; {} view(s) revoked, disconnecting its readers at the relay", robot.id(),
                hold == Hold.PRIVACY ? "camera disabled" : "stopped", name(by), views);
        kicker.kick(robot.relayPath(), true).thenAccept(kicked -> {
            if (kicked > 0) {
                LOG.info("Relay: disconnected {} client(s) of '{}' after the operator's {}", kicked, robot.relayPath(),
                        hold == Hold.PRIVACY ? "camera disable" : "stop");
            }
        });
    }

    private static String name(final Principal by) {
        return by == null ? null : by.name();
    }
}
