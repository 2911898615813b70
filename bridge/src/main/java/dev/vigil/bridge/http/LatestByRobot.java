package dev.vigil.bridge.http;

import dev.vigil.bridge.mqtt.RobotStatus;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The changes one event stream has still to send: at most one per robot, the latest, in the order
 * robots first changed. So a slow reader of a large fleet holds one entry per robot at most and
 * loses no robot's last state, where a bounded queue would drop whole robots.
 */
final class LatestByRobot {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, RobotStatus> pending = new LinkedHashMap<>();

    /** Takes a change; replaces the robot's pending one, if any. */
    void offer(final RobotStatus status) {
        lock.lock();
        try {
            pending.put(status.id(), status);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest pending robot's latest change, waiting up to {@code timeout}; {@code null} when none came. */
    RobotStatus poll(final Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (pending.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = changed.awaitNanos(nanos);
            }
            final Iterator<RobotStatus> first = pending.values().iterator();
            final RobotStatus next = first.next();
            first.remove();
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** How many robots have a change pending. */
    int size() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }
}
