package dev.vigil.agent.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.protocol.EventMessage;
import dev.vigil.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotionPolicyTest {

    private static final MotionSignal BEGIN = new MotionSignal(MotionSignal.Kind.BEGIN, 7, Duration.ofMillis(200));
    private static final MotionSignal FINISHED = new MotionSignal(MotionSignal.Kind.FINISHED, 0, Duration.ofSeconds(9));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final MotionPolicy policy = new MotionPolicy(Duration.ofSeconds(30), Duration.ofSeconds(20), clock);

    @Test
    void begin_atIdle_givesAnEventAndALeasedStream_withOneRequestId() {
        final MotionPolicy.Decision decision = policy.decide(BEGIN, true, false);
        final EventMessage event = decision.event().orElseThrow();
        assertEquals(EventMessage.Type.MOTION, event.type());
        assertEquals(0.07, event.area(), 1e-9);
        assertEquals(Optional.of(Duration.ofSeconds(20)), decision.lease());
        assertEquals(decision.requestId(), event.requestId());
        assertTrue(policy.moving());
    }

    @Test
    void begin_isIgnored_whenMotionModeIsOff() {
        final MotionPolicy.Decision decision = policy.decide(BEGIN, false, false);
        assertTrue(decision.event().isEmpty() && decision.lease().isEmpty());
        assertEquals("motion mode is off", decision.reason());
    }

    @Test
    void beginWithinCooldown_atIdle_isIgnored_butWhileStreaming_extendsTheLease() {
        policy.decide(BEGIN, true, false);
        policy.decide(FINISHED, true, true);
        clock.advance(Duration.ofSeconds(10));
        assertTrue(policy.decide(BEGIN, true, false).lease().isEmpty(), "a watcher that resumed within the cool-down");
        final MotionPolicy.Decision streaming = policy.decide(BEGIN, true, true);
        assertEquals(Optional.of(Duration.ofSeconds(20)), streaming.lease());
        policy.decide(FINISHED, true, true);
        clock.advance(Duration.ofSeconds(31));
        assertTrue(policy.decide(BEGIN, true, false).event().isPresent(), "after the cool-down");
    }

    @Test
    void secondBegin_ofTheSameMotion_extendsTheStream_withoutAnotherEvent() {
        policy.decide(BEGIN, true, false);
        final MotionPolicy.Decision again = policy.decide(BEGIN, true, true);
        assertTrue(again.event().isEmpty(), "the stream's branch sees the motion that the watcher announced");
        assertEquals(Optional.of(Duration.ofSeconds(20)), again.lease());
        assertTrue(policy.decide(BEGIN, true, false).lease().isEmpty());
        policy.pipelineGone();
        assertFalse(policy.moving(), "a stream that sees no motion must not be kept by the watcher's");
        assertTrue(policy.decide(BEGIN, true, true).event().isEmpty(), "still the announced motion");
    }

    @Test
    void finished_givesMotionEnd_onlyAfterABegin_andWhileStreamingALeaseFromTheEnd() {
        assertTrue(policy.decide(FINISHED, true, false).event().isEmpty());
        final String request = policy.decide(BEGIN, true, false).requestId();
        final MotionPolicy.Decision end = policy.decide(FINISHED, true, true);
        assertEquals(EventMessage.Type.MOTION_END, end.event().orElseThrow().type());
        assertEquals(Optional.of(Duration.ofSeconds(20)), end.lease(), "the stream lasts its lease past the end of motion");
        assertEquals(request, end.requestId());
        assertFalse(policy.moving());
        policy.decide(BEGIN, true, false);
        assertTrue(policy.decide(FINISHED, true, false).lease().isEmpty(), "nothing streams: nothing to keep");
    }

    @Test
    void modeFile_keepsTheMode_andAMissingFolderKeepsItInMemory(@TempDir final Path dir) {
        final MotionModeFile file = new MotionModeFile(dir.resolve("motion.json"));
        assertTrue(file.load().isEmpty());
        file.save(true);
        assertEquals(Optional.of(true), file.load());
        file.save(false);
        assertEquals(Optional.of(false), file.load());
        final MotionModeFile nowhere = new MotionModeFile(dir.resolve("missing/motion.json"));
        nowhere.save(true);
        assertTrue(nowhere.load().isEmpty());
    }
}
