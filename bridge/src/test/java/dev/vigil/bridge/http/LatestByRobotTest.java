package dev.vigil.bridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigil.bridge.mqtt.RobotStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatestByRobotTest {

    private static RobotStatus status(final String id, final String availability) {
        return new RobotStatus(id, availability, null, null, null, null, null, null);
    }

    @Test
    void poll_givesEachRobotsLatestOnce_inTheOrderRobotsFirstChanged() throws Exception {
        final LatestByRobot pending = new LatestByRobot();
        pending.offer(status("a", "offline"));
        pending.offer(status("b", "online"));
        pending.offer(status("a", "online"));
        assertEquals(2, pending.size());
        final RobotStatus first = pending.poll(Duration.ZERO);
        assertEquals("a", first.id());
        assertEquals("online", first.availability());
        assertEquals("b", pending.poll(Duration.ZERO).id());
        assertNull(pending.poll(Duration.ofMillis(20)));
    }

    @Test
    void offer_keepsOneEntryPerRobot_howeverManyChangesASlowReaderMisses() {
        final LatestByRobot pending = new LatestByRobot();
        for (int i = 0; i < 10_000; i++) {
            pending.offer(status("r" + (i % 1000), i % 2 == 0 ? "online" : "offline"));
        }
        assertEquals(1000, pending.size());
    }
}
