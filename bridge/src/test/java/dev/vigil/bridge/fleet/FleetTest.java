package dev.vigil.bridge.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.bridge.config.AuthSettings;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.RobotSettings;
import dev.vigil.bridge.store.AccountStore;
import dev.vigil.bridge.store.ConflictException;
import dev.vigil.bridge.store.Database;
import dev.vigil.bridge.store.Outcome;
import dev.vigil.bridge.store.RobotStore;
import dev.vigil.protocol.PublishKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fleet over a real SQLite registry that a second writer (the CLI, another bridge) changes. */
class FleetTest {

    private final BridgeSettings settings = TestConfigs.settings("");
    private final Database db = Database.open(settings.database());
    // A second pool on the same file: another process, as the CLI is.
    private final Database other = Database.open(settings.database());
    private final RobotStore robots = new RobotStore(other, Clock.systemUTC());
    private final AccountStore accounts = new AccountStore(other, Clock.systemUTC());
    private final Fleet fleet = new Fleet(settings, new RobotStore(db, Clock.systemUTC()), new AccountStore(db, Clock.systemUTC()));

    @AfterEach
    void close() {
        fleet.close();
        db.close();
        other.close();
    }

    private static RobotSettings robot(final String id) {
        return new RobotSettings(id, "robots/" + id + "/stream", "live/" + id, null, null, null,
                PublishKeys.generate().publicKey(), "default");
    }

    @Test
    void refresh_seesAnotherWritersRobotsAndAccounts_andTellsListeners() throws Exception {
        final List<FleetSnapshot> seen = new ArrayList<>();
        fleet.addListener(seen::add);
        assertEquals(List.of("default", "r2"), List.copyOf(fleet.snapshot().robots().keySet()));
        robots.add(robot("cam1"));
        accounts.add(AccountStore.Kind.TOKEN, "app", new AuthSettings.Credential("sha256$" + "0".repeat(64), "viewer", 5));
        fleet.refresh();
        assertEquals(1, seen.size());
        assertEquals(List.of("default", "r2", "cam1"), List.copyOf(fleet.snapshot().robots().keySet()));
        assertEquals("cam1", fleet.robotByPath("live/cam1").orElseThrow().id());
        assertTrue(fleet.snapshot().tokens().containsKey("app"));
        fleet.refresh();
        assertEquals(1, seen.size(), "no change, no new snapshot");
        robots.remove("cam1");
        fleet.refresh();
        assertTrue(fleet.robot("cam1").isEmpty());
        assertTrue(fleet.robotByPath("live/cam1").isEmpty());
    }

    @Test
    void registryRobot_isLeftOut_whenBridgeConfHasItsPath() throws Exception {
        // Written straight to the store, past the checks of `robot add`.
        robots.add(new RobotSettings("sneaky", "robots/sneaky/stream", "live/stream", null, null, null, null, "default"));
        fleet.refresh();
        assertTrue(fleet.robot("sneaky").isEmpty());
        assertEquals("default", fleet.robotByPath("live/stream").orElseThrow().id());
    }

    @Test
    void put_addsUpdatesOrLeavesUnchanged_andRefusesAnotherRobotsTopic() throws Exception {
        final RobotSettings cam = robot("cam2");
        assertEquals(Outcome.ADDED, robots.put(cam));
        assertEquals(Outcome.UNCHANGED, robots.put(cam));
        final RobotSettings moved = new RobotSettings("cam2", cam.baseTopic(), cam.relayPath(), null, null, null,
                PublishKeys.generate().publicKey(), "default");
        assertEquals(Outcome.UPDATED, robots.put(moved));
        assertEquals(moved, robots.find("cam2").orElseThrow());
        robots.add(robot("cam3"));
        assertThrows(ConflictException.class, () -> robots.put(new RobotSettings("cam2", "robots/cam3/stream",
                "live/cam2", null, null, null, null, "default")));
        final AuthSettings.Credential viewer = new AuthSettings.Credential("sha256$" + "1".repeat(64), "viewer", 5);
        assertEquals(Outcome.ADDED, accounts.put(AccountStore.Kind.USER, "ann", viewer));
        assertEquals(Outcome.UNCHANGED, accounts.put(AccountStore.Kind.USER, "ann", viewer));
        assertEquals(Outcome.UPDATED, accounts.put(AccountStore.Kind.USER, "ann",
                new AuthSettings.Credential(viewer.hash(), "operator", 5)));
        assertThrows(ConflictException.class, () -> accounts.add(AccountStore.Kind.USER, "ann", viewer));
    }

    @Test
    void problemWithNew_namesBridgeConfsRobotOrAnUnknownRelay() {
        assertTrue(Fleet.problemWithNew(settings, RobotSettings.of("default", "x/y", "live/x", "default")).contains("bridge.conf"));
        assertTrue(Fleet.problemWithNew(settings, RobotSettings.of("n", "robot/stream", "live/n", "default")).contains("topic"));
        assertTrue(Fleet.problemWithNew(settings, RobotSettings.of("n", "n/s", "live/n", "mars")).startsWith("relay 'mars'"));
        assertEquals(null, Fleet.problemWithNew(settings, RobotSettings.of("n", "n/s", "live/n", "default")));
    }

    @Test
    void agentSnippet_splitsPublishUrlIntoServerAndTemplate() {
        assertEquals(List.of("media.test:8554", "rtsp://{user}:{pass}@{server}/{path}"),
                List.of(AgentSnippet.split("rtsp://{user}:{pass}@media.test:8554/{path}")));
        assertEquals(List.of("media.test", "rtmp://{server}/{path}?user={user}&pass={pass}"),
                List.of(AgentSnippet.split("rtmp://media.test/{path}?user={user}&pass={pass}")));
    }
}
