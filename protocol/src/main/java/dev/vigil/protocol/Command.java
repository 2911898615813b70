package dev.vigil.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A command to the agent: {@code start} (optionally with a lease and a request id), {@code stop},
 * {@code snapshot} (publish a JPEG on {@code B/snapshot}), or {@code motion-on}/{@code motion-off}
 * (switch motion-triggered streaming at run time).
 *
 * <p>Every start is held by someone: its {@code holder} ({@link #MANUAL} when it names none). The
 * agent streams while any holder's lease is on. A stop that names a holder lets go of that holder's
 * lease only (the bridge's views when the last viewer has left); a stop that names none ends them all.
 *
 * @param kind      what to do
 * @param lease     how long a start lasts unless renewed; {@code null} for none
 * @param requestId an opaque id the agent echoes in its state; {@code null} for none
 * @param holder    who holds a start's lease, or whose lease a stop lets go of; {@code null} for none
 */
public record Command(Kind kind, Duration lease, String requestId, String holder) {

    /** The holder of a start that names none: a person's own start (an operator, mosquitto_pub, Home Assistant's switch). */
    public static final String MANUAL = "manual";
    /** The bridge's open views (viewers, players on demand, recordings). */
    public static final String VIEWS = "views";
    /** The agent's motion detection. */
    public static final String MOTION = "motion";
    /** What a holder's name may be. */
    public static final Pattern HOLDER = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** What the command asks for. */
    public enum Kind {
        START, STOP, SNAPSHOT, MOTION_ON, MOTION_OFF;

        /** The plain payload, as {@code mosquitto_pub -m start} sends it: {@code start}, ..., {@code motion-on}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The kind whose {@link #wire()} is {@code word} (case ignored), or {@code null}. */
        public static Kind fromWire(final String word) {
            for (final Kind kind : values()) {
                if (kind.wire().equalsIgnoreCase(word)) {
                    return kind;
                }
            }
            return null;
        }
    }

    public Command {
        Objects.requireNonNull(kind, "kind");
        if (lease != null && (lease.isNegative() || lease.isZero())) {
            throw new IllegalArgumentException("lease must be positive");
        }
        if (kind != Kind.START && lease != null) {
            throw new IllegalArgumentException("only a start carries a lease");
        }
        if (holder != null && (kind != Kind.START && kind != Kind.STOP || !HOLDER.matcher(holder).matches())) {
            throw new IllegalArgumentException("a holder is 1-32 of a-z, 0-9 and '-', on a start or a stop only");
        }
    }

    /** A command without a holder. */
    public Command(final Kind kind, final Duration lease, final String requestId) {
        this(kind, lease, requestId, null);
    }

    /** A plain {@code start}. */
    public static Command start() {
        return new Command(Kind.START, null, null);
    }

    /** A plain {@code stop}. */
    public static Command stop() {
        return new Command(Kind.STOP, null, null);
    }

    /** A stop that lets go of {@code holder}'s lease only. */
    public static Command release(final String holder) {
        return new Command(Kind.STOP, null, null, holder);
    }

    /** A command of {@code kind} without lease or request id. */
    public static Command of(final Kind kind) {
        return new Command(kind, null, null);
    }

    /** The lease, when the command has one. */
    public Optional<Duration> leaseDuration() {
        return Optional.ofNullable(lease);
    }

    /** The request id, when the command has one. */
    public Optional<String> request() {
        return Optional.ofNullable(requestId);
    }

    /** Who holds this start's lease: its holder, or {@link #MANUAL} when it names none. */
    public String holderOfStart() {
        return holder == null ? MANUAL : holder;
    }

    /**
     * The payload to publish: the plain word when there is nothing else to say (what the original
     * robot script understands), JSON otherwise.
     */
    public byte[] toPayload() {
        if (lease == null && requestId == null && holder == null) {
            return kind.wire().getBytes(StandardCharsets.UTF_8);
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", kind.wire());
        if (lease != null) {
            json.put("lease", lease.toString());
        }
        if (requestId != null) {
            json.put("requestId", requestId);
        }
        if (holder != null) {
            json.put("holder", holder);
        }
        return Json.write(json);
    }
}
