package dev.vigil.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.relay.RelayKicker;
import dev.vigil.testkit.MutableClock;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sequences of issue 13's weaknesses 1-3, over HTTP and over the relay's questions, against
 * the default throttle (an account backs off after 5 failures, from 1 s doubling; an address's
 * refusals are delayed after 20). The bridge's clock is moved by hand; delays are recorded, not
 * slept. Runs without a network ({@link ThrottleRoutingTest}) and against a real server
 * ({@link ThrottleRoutingIT}).
 */
abstract class AbstractThrottleRoutingTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    static final List<Duration> PAUSES = new CopyOnWriteArrayList<>();
    static final Bridge BRIDGE = Bridge.withSink(TestConfigs.settings(
            "vigil.bridge.auth.throttle { account-free-failures = 5, address-free-failures = 20 }"), CLOCK,
            new RecordingSink(), PAUSES::add, RelayKicker.NONE);

    private final RouteClient client;

    AbstractThrottleRoutingTest(final Http1Client client) {
        this.client = new RouteClient(client);
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder, BRIDGE);
    }

    /** Every test starts after a quiet hour: the throttle has forgotten every failure. */
    @BeforeEach
    void forget() {
        CLOCK.advance(Duration.ofHours(1));
        PAUSES.clear();
    }

    private int robotsAs(final String user, final String password) {
        return client.call(Method.GET, "/robots", RouteClient.basic(user, password)).status();
    }

    private RouteClient.Reply relayRead(final String user, final String pass, final String ip) {
        return client.relay("{\"action\":\"read\",\"path\":\"live/stream\",\"protocol\":\"rtmp\",\"ip\":\"%s\",\"query\":\"user=%s&pass=%s\"}"
                .formatted(ip, user, pass));
    }

    /** Weakness 1: 50 operator guesses, a right viewer sign-in after every 9th: the viewer never clears the operator's failures. */
    @Test
    void operatorGuesses_backOff_evenWithViewerSuccessesBetween() {
        final List<Integer> guesses = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            guesses.add(robotsAs(TestConfigs.OPERATOR, "guess-" + i));
            if (i % 9 == 0) {
                assertEquals(200, robotsAs(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD), "the viewer's right password");
            }
        }
        assertEquals(List.of(401, 401, 401, 401, 401), guesses.subList(0, 5), "the first guesses are checked");
        assertTrue(guesses.subList(5, 50).stream().allMatch(s -> s == 429), "guesses went on being checked: " + guesses);
        final RouteClient.Reply right = client.call(Method.GET, "/robots",
                RouteClient.basic(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD));
        assertEquals(429, right.status(), "the right password is checked during the back-off");
        assertEquals("1", right.header("Retry-After"));
        CLOCK.advance(Duration.ofMillis(1001));
        assertEquals(200, robotsAs(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD), "after the back-off");
    }

    /** Weakness 2: relay reads guessing the operator's password are throttled like HTTP, and count for HTTP too. */
    @Test
    void relayReadGuesses_backOffAccount_forRelayAndHttp() {
        final List<Integer> answers = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            answers.add(relayRead(TestConfigs.OPERATOR, "guess" + i, "10.9.9.9").status());
        }
        assertTrue(answers.stream().allMatch(s -> s == 401), "a relay refusal is a 401: " + answers);
        final RouteClient.Reply right = relayRead(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD, "10.9.9.9");
        assertEquals(401, right.status(), "the right password played while the account backs off");
        assertTrue(right.json().get("detail").asText().contains("not checked"), right.body());
        assertEquals(429, robotsAs(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD),
                "HTTP does not see the relay's failures of the same account");
        CLOCK.advance(Duration.ofMinutes(6));
        assertEquals(204, relayRead(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD, "10.9.9.9").status());
    }

    /** Weakness 3: many failures from one address (a NAT) never lock out another account's right password there. */
    @Test
    void failuresFromOneAddress_neverRefuseAnotherAccountsRightPassword() {
        for (int i = 0; i < 10; i++) {
            assertEquals(401, robotsAs("user-" + i, "guess-" + i));
        }
        assertEquals(200, robotsAs(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD), "locked out by address");
        for (int i = 0; i < 40; i++) {
            robotsAs("sprayed-user-" + i, "Summer2026!");
        }
        PAUSES.clear();
        assertEquals(200, robotsAs(TestConfigs.VIEWER, TestConfigs.VIEWER_PASSWORD), "locked out by address");
        assertEquals(200, robotsAs(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD), "locked out by address");
        assertTrue(PAUSES.stream().allMatch(Duration::isZero), "a right password was held back: " + PAUSES);
    }

    /** Spraying one password over many accounts from one address: its refusals are held back longer and longer. */
    @Test
    void sprayFromOneAddress_isSlowedWithGrowingDelays() {
        for (int i = 0; i < 30; i++) {
            assertEquals(401, relayRead("sprayed-" + i, "Winter2026!", "10.7.7.7").status());
        }
        final List<Duration> delays = PAUSES.stream().filter(d -> !d.isZero()).toList();
        assertEquals(10, delays.size(), "refusals after the 20th are delayed: " + PAUSES);
        assertEquals(Duration.ofMillis(250), delays.get(0));
        assertTrue(delays.get(1).compareTo(delays.get(0)) > 0 && delays.get(9).equals(Duration.ofSeconds(5)),
                "the delays do not grow up to the maximum: " + delays);
        PAUSES.clear();
        for (int i = 0; i < 3; i++) {
            relayRead("sprayed-" + i, "Winter2026!", "10.7.7.8");
        }
        assertTrue(PAUSES.stream().allMatch(Duration::isZero), "another address pays for it: " + PAUSES);
    }

    /** The page's sign-in goes through the same throttle. */
    @Test
    void sessionSignIn_backsOff_likeBasic() {
        final Map<String, String> page = Map.of("X-Requested-With", "vigil-app", "Content-Type", "application/json");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, client.call(Method.POST, "/session", page,
                    "{\"user\":\"%s\",\"password\":\"guess-%d\"}".formatted(TestConfigs.OPERATOR, i)).status());
        }
        assertEquals(429, client.call(Method.POST, "/session", page,
                "{\"user\":\"%s\",\"password\":\"%s\"}".formatted(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD)).status());
        assertEquals(429, robotsAs(TestConfigs.OPERATOR, TestConfigs.OPERATOR_PASSWORD));
    }
}
