package dev.vigil.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsLoaderTest {

    private static Config with(final String overrides) {
        return ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString("vigil.agent.pipeline.dir = \"../pipelines\", vigil.agent.pipeline.name = testsrc"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    @Test
    void load_matchesOriginalScript_withDefaults() throws Exception {
        final AgentSettings settings = SettingsLoader.load(with(""));
        assertEquals("robot/stream", settings.mqtt().topic());
        assertEquals("127.0.0.1:1935", settings.media().server());
        assertEquals("rtmp://{server}/{path}?user={user}&pass={pass}", settings.media().urlTemplate());
        assertEquals("live/stream", settings.media().path());
        assertEquals(Duration.ofMillis(500), settings.supervisor().backoffInitial());
        assertEquals("vigil-agent-robot", settings.mqtt().clientId());
    }

    @Test
    void load_listsEveryProblemAtOnce_withoutSecrets() {
        final ConfigProblemsException e = assertThrows(ConfigProblemsException.class, () -> SettingsLoader.load(with(
                "vigil.agent { robot-id = \"no way\", mqtt.port = 70000, mqtt.password = hunter2-secret, mqtt.topic = \"a/+/b\","
                        + " supervisor.backoff.jitter = 2, supervisor.start-timeout = 0s, media.server = \"bad host\","
                        + " pipeline.params = { width = 320 }, supervisor.failure-budget.count = zero }")));
        assertEquals(8, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("mqtt.port")));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("mqtt.topic")));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("failure-budget.count")));
        assertFalse(e.getMessage().contains("hunter2-secret"));
    }

    @Test
    void environment_overridesOperatorFile_likeTheOriginalScript() throws Exception {
        final Config operatorFile = ConfigFactory.parseString(
                "vigil.agent { mqtt { host = file-broker, topic = from/file }, media.server = file-relay }");
        final Config config = EnvironmentOverrides.of(java.util.Map.of("MQTT_BROKER", "env-broker", "MQTT_PORT", "1884",
                        "MEDIA_SERVER", "relay.example:1936", "MEDIA_PUBLISH_PASS", "p"))
                .withFallback(operatorFile)
                .withFallback(with(""))
                .resolve();
        final AgentSettings settings = SettingsLoader.load(config);
        assertEquals("env-broker", settings.mqtt().host());
        assertEquals(1884, settings.mqtt().port());
        assertEquals("from/file", settings.mqtt().topic());
        assertEquals("relay.example:1936", settings.media().server());
    }

    @Test
    void environment_badPort_isNamedWithItsVariable() {
        final ConfigProblemsException e = assertThrows(ConfigProblemsException.class, () -> SettingsLoader.load(
                EnvironmentOverrides.of(java.util.Map.of("MQTT_PORT", "eighty")).withFallback(with("")).resolve()));
        assertEquals(java.util.List.of("vigil.agent.mqtt.port (MQTT_PORT): must be a port number"), e.problems());
    }

    @Test
    void toString_masksPasswords() throws Exception {
        final AgentSettings settings = SettingsLoader.load(with(
                "vigil.agent { mqtt { user = u, password = mqtt-secret-1 }, media { publish-user = r, publish-password = relay-secret-2 } }"));
        assertFalse(settings.toString().contains("mqtt-secret-1"));
        assertFalse(settings.toString().contains("relay-secret-2"));
    }
}
