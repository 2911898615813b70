package dev.vigil.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @Test
    void topics_followContract_forDefaultBase() {
        assertEquals("robot/stream", Topics.commands(Topics.DEFAULT_BASE));
        assertEquals("robot/stream/state", Topics.state(Topics.DEFAULT_BASE));
        assertEquals("robot/stream/availability", Topics.availability(Topics.DEFAULT_BASE));
        assertEquals("robot/stream/control", Topics.control(Topics.DEFAULT_BASE));
        assertEquals("robots/r-7/stream", Topics.fleetBase("r-7"));
        assertNull(Topics.problemWithBase("robots/r-7/stream"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "robot/#", "robot/+/stream", "/robot", "robot/", "a//b", "$SYS/x"})
    void problemWithBase_namesProblem_forUnusableBase(final String base) {
        assertNotNull(Topics.problemWithBase(base));
        assertThrows(IllegalArgumentException.class, () -> Topics.state(base));
    }
}
