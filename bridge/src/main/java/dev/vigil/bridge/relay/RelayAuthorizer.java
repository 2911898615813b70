package dev.vigil.bridge.relay;

import dev.vigil.bridge.auth.Authenticator;
import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.auth.SecretHash;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RelayApiSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.mqtt.RobotRegistry;
import dev.vigil.bridge.mqtt.RobotStatus;
import dev.vigil.bridge.view.ViewLeases;
import dev.vigil.protocol.Hold;
import dev.vigil.protocol.PublishKeys;
import dev.vigil.protocol.PublishToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The relay-auth rules. Publishing: only a robot's own credentials (its plain user and password, or
 * a valid publish token), only on its own path, and only while it is meant to stream (no operator's
 * hold, and the latest word, this bridge's start or the agent's retained state, says streaming).
 * Reading (and playback): a configured viewer or operator (user and password, or a bearer token
 * given as the password or {@code token}), or the relay key of a live view of that robot (as the
 * password or {@code key}), and never while an operator holds the robot; the bridge's own relay-API
 * credential may also play recordings back (its clip routes have their own auth). The relay's API,
 * metrics and pprof need an operator or the bridge's own relay-API credential. Every password and token
 * check goes through the throttle, with the reader's address as the relay reports it.
 */
public final class RelayAuthorizer {

    private final BridgeSettings settings;
    private final Fleet fleet;
    private final Authenticator authenticator;
    private final ViewLeases leases;
    private final RobotRegistry registry;
    private final Clock clock;

    /** Creates the rules. */
    public RelayAuthorizer(final BridgeSettings settings, final Fleet fleet, final Authenticator authenticator,
                           final ViewLeases leases, final RobotRegistry registry, final Clock clock) {
        this.settings = settings;
        this.fleet = fleet;
        this.authenticator = authenticator;
        this.leases = leases;
        this.registry = registry;
        this.clock = clock;
    }

    /** Decides {@code request}. */
    public RelayDecision decide(final RelayRequest request) {
        return switch (request.action()) {
            case PUBLISH -> publish(request);
            case READ -> read(request);
            case PLAYBACK -> bridgeItself(request) ? RelayDecision.allow(null, "the bridge's relay-API credential (clips)")
                    : read(request);
            case API, METRICS, PPROF -> api(request);
        };
    }

    /** Whether the request carries the bridge's own relay-API credential (it lists and serves clips behind its own auth). */
    private boolean bridgeItself(final RelayRequest request) {
        final RelayApiSettings api = settings.relayApi();
        return api.enabled() && request.user() != null && request.secret() != null && equal(api.user(), request.user())
                && equal(api.password(), request.secret());
    }

    private RelayDecision api(final RelayRequest request) {
        if (bridgeItself(request)) {
            return RelayDecision.allow(null, "the bridge's relay-API credential");
        }
        if (request.secret() == null || request.secret().isEmpty()) {
            return RelayDecision.deny(null, "needs an operator");
        }
        return switch (authenticator.userOrToken(request.user(), request.secret(), request.client())) {
            case Authenticator.Outcome.Accepted accepted -> accepted.principal().role().includes(Role.OPERATOR)
                    ? RelayDecision.allow(null, "operator " + accepted.principal().name())
                    : RelayDecision.deny(null, "needs an operator");
            case Authenticator.Outcome.Refused refused -> RelayDecision.deny(null, "needs an operator", refused.delay());
            case Authenticator.Outcome.BackingOff off -> backingOff(null, request.user(), off);
        };
    }

    private RelayDecision publish(final RelayRequest request) {
        final Optional<RobotSettings> robot = fleet.robotByPath(normalise(request.path()));
        if (robot.isEmpty()) {
            return RelayDecision.deny(null, "no robot publishes to path '" + request.path() + "'");
        }
        final RobotSettings r = robot.get();
        if (!onItsRelay(r, request)) {
            return RelayDecision.deny(r.id(), "robot " + r.id() + " is assigned the relay '" + r.relay()
                    + "', not '" + request.relay() + "'");
        }
        final String secret = request.secret();
        if (secret == null || secret.isEmpty()) {
            return RelayDecision.deny(r.id(), "no publish credentials");
        }
        final RelayDecision credentials = publishCredentials(r, request);
        if (!credentials.allowed()) {
            return credentials;
        }
        final RobotStatus status = registry.status(r.id());
        if (status.hold().holds()) {
            return RelayDecision.deny(r.id(), "robot " + r.id() + " is held by an operator (" + describe(status.hold())
                    + "); its " + credentials.reason() + " was right");
        }
        if (!status.meantToStream(clock.instant(), settings.mqtt().commandExpiry())) {
            return RelayDecision.deny(r.id(), "robot " + r.id() + " is not meant to stream now (no start asked for"
                    + " it, desired " + (status.state() == null ? "unknown" : status.state().desired().wire())
                    + "); its " + credentials.reason() + " was right");
        }
        return credentials;
    }

    private RelayDecision publishCredentials(final RobotSettings r, final RelayRequest request) {
        final String secret = request.secret();
        if (r.publishUser() != null && r.publishPasswordHash() != null && request.user() != null
                && equal(r.publishUser(), request.user())) {
            final String account = "publish:" + r.id();
            final Optional<Duration> wait = authenticator.throttle().backOff(account);
            if (wait.isPresent()) {
                return RelayDecision.deny(r.id(), "too many failed publish attempts for robot " + r.id()
                        + "; not checked (retry in " + seconds(wait.get()) + " s)");
            }
            if (SecretHash.matches(secret, r.publishPasswordHash())) {
                authenticator.throttle().succeeded(account);
                return RelayDecision.allow(r.id(), "robot password");
            }
            return RelayDecision.deny(r.id(), "wrong publish credentials",
                    authenticator.throttle().failed(account, request.client()));
        }
        if (r.publishKey() != null && PublishToken.isSigned(secret)) {
            final PublishToken.Verdict verdict = PublishToken.verify(secret, r.id(), PublishKeys.publicKey(r.publishKey()),
                    clock.instant());
            return verdict == PublishToken.Verdict.VALID ? RelayDecision.allow(r.id(), "signed publish token")
                    : RelayDecision.deny(r.id(), "publish token " + describe(verdict),
                    verdict == PublishToken.Verdict.EXPIRED ? Duration.ZERO : authenticator.failedWithoutAccount(request.client()));
        }
        if (r.publishSecret() != null && PublishToken.robotIdOf(secret) != null) {
            final PublishToken.Verdict verdict = PublishToken.verify(secret, r.id(),
                    r.publishSecret().getBytes(StandardCharsets.UTF_8), clock.instant());
            if (verdict == PublishToken.Verdict.VALID) {
                return RelayDecision.allow(r.id(), "publish token");
            }
            return RelayDecision.deny(r.id(), "publish token " + describe(verdict),
                    verdict == PublishToken.Verdict.EXPIRED ? Duration.ZERO : authenticator.failedWithoutAccount(request.client()));
        }
        return RelayDecision.deny(r.id(), "wrong publish credentials", authenticator.failedWithoutAccount(request.client()));
    }

    private RelayDecision read(final RelayRequest request) {
        final Optional<RobotSettings> robot = fleet.robotByPath(normalise(request.path()));
        if (robot.isEmpty()) {
            return RelayDecision.deny(null, "no robot publishes to path '" + request.path() + "'");
        }
        final String id = robot.get().id();
        if (!onItsRelay(robot.get(), request)) {
            return RelayDecision.deny(id, "robot " + id + " is served by the relay '" + robot.get().relay()
                    + "', not '" + request.relay() + "'");
        }
        final Hold hold = registry.status(id).hold();
        if (hold.holds()) {
            return RelayDecision.deny(id, "robot " + id + " is held by an operator (" + describe(hold) + ")");
        }
        if (request.key() != null && !request.key().isEmpty()) {
            return leases.isLiveKey(id, request.key()) ? RelayDecision.allow(id, "view lease")
                    : RelayDecision.deny(id, "no live view with that key", authenticator.failedWithoutAccount(request.client()));
        }
        if (request.secret() == null || request.secret().isEmpty()) {
            return RelayDecision.deny(id, "no viewer credentials");
        }
        if (leases.isLiveKey(id, request.secret())) {
            return RelayDecision.allow(id, "view lease");
        }
        final String user = "lease".equals(request.user()) ? null : request.user();
        return switch (authenticator.userOrToken(user, request.secret(), request.client())) {
            case Authenticator.Outcome.Accepted accepted -> RelayDecision.allow(id, describe(accepted.principal()));
            case Authenticator.Outcome.Refused refused -> RelayDecision.deny(id, "wrong viewer credentials", refused.delay());
            case Authenticator.Outcome.BackingOff off -> backingOff(id, user, off);
        };
    }

    private static RelayDecision backingOff(final String robotId, final String user, final Authenticator.Outcome.BackingOff off) {
        return RelayDecision.deny(robotId, "too many failed attempts for " + (user == null ? "this client" : "'" + user + "'")
                + "; not checked (retry in " + seconds(off.retryAfter()) + " s)");
    }

    private static long seconds(final Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private static String describe(final Principal principal) {
        return principal.role().name().toLowerCase(Locale.ROOT) + " " + principal.name();
    }

    /** Whether the relay that asks (when it names itself) is the robot's own. */
    private static boolean onItsRelay(final RobotSettings robot, final RelayRequest request) {
        return request.relay() == null || request.relay().equals(robot.relay());
    }

    private static String describe(final PublishToken.Verdict verdict) {
        return verdict.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String describe(final Hold hold) {
        return hold == Hold.PRIVACY ? "camera disabled" : "stopped";
    }

    /** A path without leading or trailing slashes. */
    public static String normalise(final String path) {
        if (path == null) {
            return "";
        }
        String p = path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static boolean equal(final String a, final String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
