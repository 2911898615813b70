package dev.vigil.agent.supervise;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The supervisor's settings, from {@code vigil.agent.supervisor} in reference.conf (where every
 * default lives and is explained).
 */
public record SupervisorSettings(
        String pipelineName,
        Duration backoffInitial,
        Duration backoffMax,
        double backoffJitter,
        Duration healthyReset,
        int failureBudget,
        Duration failureWindow,
        Duration startTimeout,
        Duration streamingConfirm,
        Duration stallTimeout,
        Duration interruptGrace,
        Duration terminateGrace,
        Duration maxStreamDuration,
        Path pidFile,
        int lastErrorLines) {
}
