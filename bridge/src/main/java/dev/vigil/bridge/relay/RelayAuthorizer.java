package dev.vigil.bridge.relay;

import dev.vigil.bridge.auth.Credentials;
import dev.vigil.bridge.auth.Principal;
import dev.vigil.bridge.auth.Role;
import dev.vigil.bridge.auth.SecretHash;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.fleet.Fleet;
import dev.vigil.bridge.view.ViewLeases;
import dev.vigil.protocol.PublishKeys;
import dev.vigil.protocol.PublishToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;

/**
 * The relay-auth rules. Publishing: only a robot's own credentials (its plain user and password, or
 * a valid publish token) and only on its own path. Reading (and playback): a configured viewer or
 * operator (user and password, or a bearer token given as the password or {@code token}), or a
 * live view lease of that robot (given as {@code lease} or as the password). The relay's API,
 * metrics and pprof need an operator.
 */
public final class RelayAuthorizer {

    private final Fleet fleet;
    private final Credentials credentials;
    private final ViewLeases leases;
    private final Clock clock;

    /** Creates the rules. */
    public RelayAuthorizer(final Fleet fleet, final Credentials credentials, final ViewLeases leases,
                           final Clock clock) {
        this.fleet = fleet;
        this.credentials = credentials;
        this.leases = leases;
        this.clock = clock;
    }

    /** Decides {@code request}. */
    public RelayDecision decide(final RelayRequest request) {
        return switch (request.action()) {
            case PUBLISH -> publish(request);
            case READ, PLAYBACK -> read(request);
            case API, METRICS, PPROF -> principal(request).filter(p -> p.role().includes(Role.OPERATOR)).isPresent()
                    ? RelayDecision.allow(null, "operator") : RelayDecision.deny(null, "needs an operator");
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
        if (r.publishUser() != null && r.publishPasswordHash() != null && request.user() != null
                && equal(r.publishUser(), request.user()) && SecretHash.matches(secret, r.publishPasswordHash())) {
            return RelayDecision.allow(r.id(), "robot password");
        }
        if (r.publishKey() != null && PublishToken.isSigned(secret)) {
            final PublishToken.Verdict verdict = PublishToken.verify(secret, r.id(), PublishKeys.publicKey(r.publishKey()),
                    clock.instant());
            return verdict == PublishToken.Verdict.VALID ? RelayDecision.allow(r.id(), "signed publish token")
                    : RelayDecision.deny(r.id(), "publish token " + describe(verdict));
        }
        if (r.publishSecret() != null && PublishToken.robotIdOf(secret) != null) {
            final PublishToken.Verdict verdict = PublishToken.verify(secret, r.id(),
                    r.publishSecret().getBytes(StandardCharsets.UTF_8), clock.instant());
            if (verdict == PublishToken.Verdict.VALID) {
                return RelayDecision.allow(r.id(), "publish token");
            }
            return RelayDecision.deny(r.id(), "publish token " + describe(verdict));
        }
        return RelayDecision.deny(r.id(), "wrong publish credentials");
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
        if (leases.isLive(id, request.lease()) || leases.isLive(id, request.secret())) {
            return RelayDecision.allow(id, "view lease");
        }
        final Optional<Principal> principal = principal(request);
        if (principal.isPresent()) {
            return RelayDecision.allow(id, principal.get().role().name().toLowerCase(java.util.Locale.ROOT) + " "
                    + principal.get().name());
        }
        return RelayDecision.deny(id, request.secret() == null && request.lease() == null
                ? "no viewer credentials" : "wrong viewer credentials");
    }

    private Optional<Principal> principal(final RelayRequest request) {
        if (request.secret() == null || request.secret().isEmpty()) {
            return Optional.empty();
        }
        if (request.user() != null && !request.user().isEmpty()) {
            final Optional<Principal> user = credentials.user(request.user(), request.secret());
            if (user.isPresent()) {
                return user;
            }
        }
        return credentials.token(request.secret());
    }

    /** Whether the relay that asks (when it names itself) is the robot's own. */
    private static boolean onItsRelay(final RobotSettings robot, final RelayRequest request) {
        return request.relay() == null || request.relay().equals(robot.relay());
    }

    private static String describe(final PublishToken.Verdict verdict) {
        return verdict.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
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
