package dev.vigil.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.protocol.Command;
import dev.vigil.protocol.ControlMessage;
import dev.vigil.protocol.Desired;
import dev.vigil.protocol.Hold;
import dev.vigil.protocol.StateMessage;
import dev.vigil.protocol.StreamState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoldGateTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final List<Command> passed = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final List<StateMessage> published = new ArrayList<>();
    private final HoldGate gate = new HoldGate(passed::add, refused::add, Clock.fixed(NOW, ZoneOffset.UTC), new HoldFile(null));

    HoldGateTest() {
        gate.publishTo(published::add);
    }

    private static StateMessage idle() {
        return new StateMessage(StreamState.IDLE, Desired.IDLE, NOW, 0, "testsrc", null, null, null);
    }

    @Test
    void start_passes_withoutHold() {
        gate.command(Command.start());
        assertEquals(List.of(Command.start()), passed);
        assertTrue(refused.isEmpty());
    }

    @Test
    void privacyHold_stopsStream_refusesEveryStart_andIsPublishedInState() {
        gate.state(idle());
        gate.control(new ControlMessage(Hold.PRIVACY, "otto", NOW).toJson());
        assertEquals(List.of(Command.stop()), passed);
        assertEquals(Hold.PRIVACY, published.get(published.size() - 1).hold());
        gate.command(Command.start());
        gate.command(new Command(Command.Kind.START, java.time.Duration.ofSeconds(45), null));
        assertEquals(List.of(Command.stop()), passed, "a start passed the privacy hold");
        assertEquals(2, refused.size());
        assertTrue(refused.get(0).contains("the camera is disabled (privacy) (otto)"), refused.get(0));
        gate.command(Command.stop());
        assertEquals(Command.stop(), passed.get(passed.size() - 1), "a stop is always let through");
    }

    @Test
    void liftedHold_letsStartsThroughAgain() {
        gate.control(new ControlMessage(Hold.STOPPED, "otto", NOW).toJson());
        gate.control(new ControlMessage(Hold.NONE, "otto", NOW).toJson());
        gate.command(Command.start());
        assertEquals(Command.start(), passed.get(passed.size() - 1));
        assertEquals(Hold.NONE, gate.hold());
    }

    @Test
    void malformedControl_keepsTheHold_andSaysWhy() {
        gate.control(new ControlMessage(Hold.PRIVACY, null, NOW).toJson());
        gate.control("{\"hold\":\"whatever\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Hold.PRIVACY, gate.hold());
        assertTrue(refused.get(0).startsWith("control message: "), refused.toString());
    }

    @Test
    void keptHold_bindsANewGate_beforeAnyControlMessage(@TempDir final Path dir) {
        final HoldFile file = new HoldFile(dir.resolve("hold.json"));
        new HoldGate(passed::add, refused::add, Clock.fixed(NOW, ZoneOffset.UTC), file)
                .control(new ControlMessage(Hold.PRIVACY, "otto", NOW).toJson());
        final HoldGate restarted = new HoldGate(passed::add, refused::add, Clock.fixed(NOW, ZoneOffset.UTC), file);
        passed.clear();
        restarted.command(Command.start());
        assertTrue(passed.isEmpty(), "a restarted agent let a start through before it heard the broker");
        assertEquals(Hold.PRIVACY, restarted.hold());
    }

    @Test
    void everySupervisorState_goesOutWithTheHold() {
        gate.control(new ControlMessage(Hold.STOPPED, null, NOW).toJson());
        gate.state(idle());
        assertEquals(Hold.STOPPED, published.get(published.size() - 1).hold());
        assertEquals(StreamState.IDLE, published.get(published.size() - 1).state());
    }
}
