package dev.vigil.bridge.http;

import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.mqtt.BrokerUnavailableException;
import dev.vigil.bridge.mqtt.CommandSink;
import dev.vigil.bridge.mqtt.PublishFailedException;
import dev.vigil.bridge.view.RobotHeldException;
import dev.vigil.protocol.Command;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a command for a request and, when it fails, answers 503 (broker away) or 502 (publish failed). */
public final class CommandReplies {

    private static final Logger LOG = LoggerFactory.getLogger(CommandReplies.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final CommandSink commands;

    /** Creates the helper. */
    public CommandReplies(final CommandSink commands) {
        this.commands = commands;
    }

    /** Whether the broker took {@code command}; when false, the error reply has been sent. */
    public boolean send(final ServerResponse res, final RobotSettings robot, final Command command) {
        return run(res, robot, command.kind().wire(), () -> commands.send(robot, command));
    }

    /**
     * Runs {@code action} (publishes for robot {@code robot}); when it fails, answers 503 (broker away),
     * 502 (publish failed) or 409 (the robot is held) and returns false.
     */
    public boolean run(final ServerResponse res, final RobotSettings robot, final String what, final Action action) {
        try {
            action.run();
            return true;
        } catch (final BrokerUnavailableException e) {
            LOG.warn("Cannot send {} to robot {}: {}", what, robot.id(), e.getMessage());
            JsonReplies.unavailable(res, RETRY_AFTER, "Failed to publish MQTT message: " + e.getMessage());
        } catch (final PublishFailedException e) {
            LOG.warn("Sending {} to robot {} failed: {}", what, robot.id(), e.getMessage());
            JsonReplies.problem(res, Status.BAD_GATEWAY_502, "Failed to publish MQTT message: " + e.getMessage());
        } catch (final RobotHeldException e) {
            JsonReplies.problem(res, Status.CONFLICT_409, e.getMessage());
        }
        return false;
    }

    /** Something that publishes to a robot. */
    @FunctionalInterface
    public interface Action {
        /** Publishes. */
        void run() throws BrokerUnavailableException, PublishFailedException, RobotHeldException;
    }
}
