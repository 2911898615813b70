package dev.vigil.protocol;

/**
 * Topic names of the wire contract. A robot has a base topic {@code B}; commands go to {@code B},
 * the retained state to {@code B/state} and the retained availability to {@code B/availability};
 * events (motion) go to {@code B/event} and the robot's latest picture, a retained JPEG, to
 * {@code B/snapshot}. The bridge keeps an operator's hold (a stop that holds, or the camera disabled
 * for privacy) retained on {@code B/control} ({@link ControlMessage}); the robot reads it, never writes it.
 */
public final class Topics {

    /** The base topic of the original scripts, and of a robot that names no other. */
    public static final String DEFAULT_BASE = "robot/stream";
    /** Retained on {@link #availability(String)} while the agent is connected. */
    public static final String ONLINE = "online";
    /** The Last Will on {@link #availability(String)}, and what the agent publishes as it exits. */
    public static final String OFFLINE = "offline";

    private static final int MAX_LENGTH = 200;

    private Topics() {
    }

    /** The command topic of the robot whose base topic is {@code base}. */
    public static String commands(final String base) {
        return requireValidBase(base);
    }

    /** The retained JSON state topic. */
    public static String state(final String base) {
        return requireValidBase(base) + "/state";
    }

    /** The retained {@code online}/{@code offline} topic. */
    public static String availability(final String base) {
        return requireValidBase(base) + "/availability";
    }

    /** Events (motion), not retained: {@link EventMessage}. */
    public static String event(final String base) {
        return requireValidBase(base) + "/event";
    }

    /** The robot's latest picture, a retained JPEG: {@link Snapshots}. */
    public static String snapshot(final String base) {
        return requireValidBase(base) + "/snapshot";
    }

    /** The retained hold that the bridge publishes and the agent obeys ({@link ControlMessage}). */
    public static String control(final String base) {
        return requireValidBase(base) + "/control";
    }

    /** The base topic that a fleet uses for robot {@code robotId}: {@code robots/<id>/stream}. */
    public static String fleetBase(final String robotId) {
        return "robots/" + RobotIds.requireValid(robotId) + "/stream";
    }

    /**
     * Checks that {@code base} can name a topic of its own: not empty, no wildcards, no leading or
     * trailing slash, no empty level and no NUL.
     *
     * @return a one-line problem, or {@code null} when the base is valid
     */
    public static String problemWithBase(final String base) {
        if (base == null || base.isEmpty()) {
            return "base topic is empty";
        }
        if (base.length() > MAX_LENGTH) {
            return "base topic is longer than " + MAX_LENGTH + " characters";
        }
        if (base.indexOf('+') >= 0 || base.indexOf('#') >= 0) {
            return "base topic '" + base + "' contains an MQTT wildcard (+ or #)";
        }
        if (base.indexOf('\0') >= 0) {
            return "base topic contains a NUL character";
        }
        if (base.startsWith("/") || base.endsWith("/") || base.contains("//")) {
            return "base topic '" + base + "' has an empty level (leading, trailing or double slash)";
        }
        if (base.startsWith("$")) {
            return "base topic '" + base + "' starts with $, which brokers reserve";
        }
        return null;
    }

    private static String requireValidBase(final String base) {
        final String problem = problemWithBase(base);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return base;
    }
}
