package dev.vigil.bridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.RecordingSink;
import dev.vigil.bridge.TestConfigs;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.protocol.Command;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The latest word on whether a robot should stream comes from starts and stops only. */
class TrackedCommandsTest {

    private static final BridgeSettings SETTINGS = TestConfigs.settings("");
    private static final RobotSettings ROBOT = SETTINGS.robot("default").orElseThrow();

    @Test
    void cameraCommands_afterAStart_leaveTheRobotMeantToStream() throws Exception {
        final RobotRegistry registry = new RobotRegistry(SETTINGS.robots().values(), Clock.systemUTC());
        final TrackedCommands commands = new TrackedCommands(new RecordingSink(), registry);
        commands.send(ROBOT, Command.start());
        commands.send(ROBOT, Command.of(Command.Kind.SNAPSHOT));
        commands.sendLater(ROBOT, Command.of(Command.Kind.MOTION_ON));
        assertTrue(registry.status("default").meantToStream(Instant.now(), Duration.ofSeconds(30)),
                "a snapshot or motion-on asked after a start made the relay refuse the robot's publish");
        commands.send(ROBOT, Command.stop());
        assertFalse(registry.status("default").meantToStream(Instant.now(), Duration.ofSeconds(30)));
    }
}
