package dev.vigil.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.vigil.common.config.ConfigProblemsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsLoaderTest {

    @Test
    void defaults_describeOriginalSetup() throws Exception {
        final BridgeSettings settings = SettingsLoader.from(ConfigFactory.parseString(""));
        assertEquals(8000, settings.server().port());
        assertEquals("robot/stream", settings.defaultRobot().baseTopic());
        assertEquals("live/stream", settings.defaultRobot().relayPath());
        assertEquals(Duration.ofSeconds(30), settings.mqtt().commandExpiry());
        assertTrue(settings.auth().originalApi());
        assertTrue(settings.mqtt().clientId().startsWith("vigil-bridge-"));
    }

    /**
     * Prompt reconnection by the defaults: HiveMQ's retries come at most reconnect-max-delay + 25 %
     * apart, so the bridge is back within a second of the broker, and a command waits longer than
     * that (publish-timeout) for it.
     */
    @Test
    void defaults_retryWithinASecond_andACommandWaitsLongerThanThatForTheReconnect() throws Exception {
        final MqttSettings mqtt = SettingsLoader.from(ConfigFactory.parseString("")).mqtt();
        final Duration longestRetryGap = mqtt.reconnectMaxDelay().plus(mqtt.reconnectMaxDelay().dividedBy(4));
        assertTrue(longestRetryGap.compareTo(Duration.ofSeconds(1)) < 0, "retries up to " + longestRetryGap + " apart");
        assertTrue(mqtt.publishTimeout().compareTo(longestRetryGap) > 0, "a command gives up before the next retry");
    }

    @Test
    void fleetRobot_getsFleetTopicAndPath_byDefault() throws Exception {
        final BridgeSettings settings = SettingsLoader.from(ConfigFactory.parseString("vigil.bridge.robots.r7 {}"));
        assertEquals("robots/r7/stream", settings.robot("r7").orElseThrow().baseTopic());
        assertEquals("live/r7", settings.robotByPath("live/r7").orElseThrow().relayPath());
    }

    @Test
    void robots_ofTheOperatorOnly_whenTheFileDropsTheReferenceExample() throws Exception {
        final BridgeSettings settings = SettingsLoader.from(ConfigFactory.parseString(
                "vigil.bridge { default-robot = robot-1, robots = null, robots { robot-1 {} }, viewer-urls = null, viewer-urls { hls = x } }"));
        assertEquals(java.util.Set.of("robot-1"), settings.robots().keySet());
        assertEquals(java.util.Set.of("hls"), settings.viewerUrls().keySet());
    }

    @Test
    void environment_winsOverOperatorFile() throws Exception {
        final com.typesafe.config.Config file = ConfigFactory.parseString(
                "vigil.bridge { server.port = 9000, mqtt.broker = filehost, default-robot = r1, robots.r1 {} }")
                .withFallback(ConfigFactory.defaultReference());
        final java.util.Map<String, String> env = java.util.Map.of("BRIDGE_PORT", "8123", "MQTT_BROKER", "envhost",
                "MQTT_TOPIC", "site/cam", "MQTT_PASS", "p");
        final BridgeSettings settings = SettingsLoader.from(
                ConfigFactory.parseMap(SettingsLoader.environment(env, file)).withFallback(file));
        assertEquals(8123, settings.server().port());
        assertEquals("envhost", settings.mqtt().broker());
        assertEquals("site/cam", settings.robot("r1").orElseThrow().baseTopic());
        assertEquals("p", settings.mqtt().password());
    }

    @Test
    void securityDefaults_followTheReadme() throws Exception {
        final BridgeSettings settings = SettingsLoader.from(ConfigFactory.parseString(""));
        assertEquals(5, settings.auth().throttle().accountFreeFailures());
        assertEquals(Duration.ofMinutes(5), settings.auth().throttle().accountMaxDelay());
        assertEquals(20, settings.auth().throttle().addressFreeFailures());
        assertTrue(settings.auth().session().secureCookie());
        assertEquals(5, settings.views().maxPerUser());
        assertFalse(settings.relayApi().enabled());
        assertTrue(settings.viewerUrls().get("hls").contains("{host}"), "the viewer URLs name a host of their own");
    }

    @Test
    void credentialMaxViews_overridesPerUserCap() throws Exception {
        final BridgeSettings settings = SettingsLoader.from(ConfigFactory.parseString("""
                vigil.bridge.auth.tokens {
                  hook { hash = "sha256$%s", role = viewer, max-views = 100 }
                  app { hash = "sha256$%s", role = viewer }
                }
                """.formatted("a".repeat(64), "b".repeat(64))));
        assertEquals(100, settings.auth().tokens().get("hook").maxViews());
        assertEquals(5, settings.auth().tokens().get("app").maxViews());
    }

    @Test
    void relayApiAndThrottleProblems_areListed_withoutThePassword() {
        final ConfigProblemsException problems = assertThrows(ConfigProblemsException.class, () -> SettingsLoader.from(ConfigFactory.parseString("""
                vigil.bridge {
                  relay.api { url = "ftp://relay", password = "" }
                  auth.throttle { account-free-failures = 0, address-max-delay = -1s }
                  auth.session.idle-timeout = 0s
                  views.max-per-user = 0
                }
                """)));
        final String all = String.join("\n", problems.problems());
        assertTrue(all.contains("relay.api.url"), all);
        assertTrue(all.contains("relay.api.user and relay.api.password"), all);
        assertTrue(all.contains("auth.throttle.account-free-failures"), all);
        assertTrue(all.contains("auth.throttle.address-max-delay"), all);
        assertTrue(all.contains("auth.session.idle-timeout"), all);
        assertTrue(all.contains("views.max-per-user"), all);
    }

    @Test
    void load_listsEveryProblem_withoutSecrets() {
        final ConfigProblemsException problems = assertThrows(ConfigProblemsException.class, () -> SettingsLoader.from(ConfigFactory.parseString("""
                vigil.bridge {
                  server.port = 70000
                  mqtt.password = 12345
                  mqtt.command-expiry = "soon"
                  default-robot = "no good"
                  robots { "bad id!" {}, r2 { base-topic = "robots/+/x" } }
                  auth.users { u { password-hash = "TopSecretPlain", role = admin } }
                }
                """)));
        final String all = String.join("\n", problems.problems());
        assertTrue(problems.problems().size() >= 6, all);
        assertTrue(all.contains("server.port"), all);
        assertTrue(all.contains("mqtt.command-expiry"), all);
        assertTrue(all.contains("default-robot: must be a robot id"), all);
        assertTrue(all.contains("wildcard"), all);
        assertTrue(all.contains("role must be viewer or operator"), all);
        assertFalse(all.contains("TopSecretPlain"), all);
        assertFalse(all.contains("12345"), all);
    }

    @Test
    void trustedProxies_takeAddressesAndRanges_andNameABadEntry() throws ConfigProblemsException {
        assertEquals(java.util.List.of("10.0.0.0/8", "::1"), SettingsLoader.from(ConfigFactory.parseString(
                "vigil.bridge.server.trusted-proxies = [\"10.0.0.0/8\", \"::1\"]")).server().trustedProxies());
        final ConfigProblemsException problems = assertThrows(ConfigProblemsException.class, () -> SettingsLoader.from(
                ConfigFactory.parseString("vigil.bridge.server.trusted-proxies = [\"127.0.0.1\", \"lb.example.org\", \"10.0.0.0/33\"]")));
        final String all = String.join("\n", problems.problems());
        assertTrue(all.contains("server.trusted-proxies") && all.contains("'lb.example.org' is not an IP address or a CIDR range"), all);
    }
}
