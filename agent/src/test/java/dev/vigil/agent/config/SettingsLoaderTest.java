package dev.vigil.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.common.config.ConfigProblemsException;
import dev.vigil.testkit.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @TempDir
    Path tmp;

    private static Config with(final String overrides) {
        return layers(ConfigFactory.parseString(overrides));
    }

    /** The operator's layer, read the way the agent reads every layer, over the test's pipelines and reference.conf. */
    private static Config layers(final Config operator) {
        return SettingsLoader.oldForms(operator)
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
        assertEquals("vigil-agent-robot", settings.mqtt().broker().clientId());
        assertFalse(settings.mqtt().broker().tls().enabled());
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
    void load_checksAgainstReferenceFirst_namingAWrongKindOfValue() {
        final ConfigProblemsException e = assertThrows(ConfigProblemsException.class, () -> SettingsLoader.load(with(
                "vigil.agent { pipeline.params = 640, supervisor.stop = 5s }")));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("vigil.agent."), e.problems().toString());
        assertTrue(e.problems().stream().allMatch(p -> p.contains("wrong kind of value")), e.problems().toString());
    }

    @Test
    void environment_overridesOperatorFile_likeTheOriginalScript() throws Exception {
        final Config operatorFile = ConfigFactory.parseString(
                "vigil.agent { mqtt { host = file-broker, topic = from/file }, media.server = file-relay }");
        final Config config = AgentEnvironment.LAYER.layer(Map.of("MQTT_BROKER", "env-broker", "MQTT_PORT", "1884",
                        "MEDIA_SERVER", "relay.example:1936", "MEDIA_PUBLISH_PASS", "p"))
                .withFallback(layers(operatorFile))
                .resolve();
        final AgentSettings settings = SettingsLoader.load(config);
        assertEquals("env-broker", settings.mqtt().broker().host());
        assertEquals(1884, settings.mqtt().broker().port());
        assertEquals("from/file", settings.mqtt().topic());
        assertEquals("relay.example:1936", settings.media().server());
    }

    @Test
    void environment_badPort_isNamedWithItsVariable() {
        final ConfigProblemsException e = assertThrows(ConfigProblemsException.class, () -> SettingsLoader.load(
                AgentEnvironment.LAYER.layer(Map.of("MQTT_PORT", "eighty")).withFallback(with("")).resolve()));
        assertEquals(List.of("vigil.agent.mqtt.port (MQTT_PORT): must be a port number"), e.problems());
    }

    @Test
    void tls_oldBooleanForm_stillTurnsTlsOn_withTheJvmTrustStore() throws Exception {
        final AgentSettings settings = SettingsLoader.load(with("vigil.agent.mqtt { tls = true, port = 8883 }"));
        assertTrue(settings.mqtt().broker().tls().enabled());
        assertNull(settings.mqtt().broker().tls().caFile());
        final AgentSettings fromEnv = SettingsLoader.load(SettingsLoader.oldForms(AgentEnvironment.LAYER.layer(Map.of("MQTT_TLS", "true")))
                .withFallback(with("")).resolve());
        assertTrue(fromEnv.mqtt().broker().tls().enabled());
    }

    @Test
    void tls_caFile_isReadFromTheObjectForm_orTheEnvironment() throws Exception {
        final Path ca = TestPki.create(tmp).caFile();
        final AgentSettings settings = SettingsLoader.load(with("vigil.agent.mqtt.tls { enabled = true, ca-file = \"" + ca + "\" }"));
        assertEquals(ca, settings.mqtt().broker().tls().caFile());
        final AgentSettings fromEnv = SettingsLoader.load(AgentEnvironment.LAYER.layer(Map.of("MQTT_TLS", "true", "MQTT_CA_FILE",
                ca.toString())).withFallback(with("vigil.agent.mqtt.tls = false")).resolve());
        assertTrue(fromEnv.mqtt().broker().tls().enabled());
        assertEquals(ca, fromEnv.mqtt().broker().tls().caFile());
    }

    @Test
    void tls_missingOrGarbledCaFile_isAProblemNamingTheKeyAndTheFile() throws Exception {
        final Path garbled = java.nio.file.Files.writeString(tmp.resolve("garbled.pem"), "not a certificate");
        final ConfigProblemsException e = assertThrows(ConfigProblemsException.class, () -> SettingsLoader.load(
                AgentEnvironment.LAYER.layer(Map.of("MQTT_TLS", "true", "MQTT_CA_FILE", garbled.toString())).withFallback(with("")).resolve()));
        assertEquals(List.of("vigil.agent.mqtt.tls.ca-file (MQTT_CA_FILE): " + garbled + " is not a PEM file of certificates"),
                e.problems());
        final ConfigProblemsException missing = assertThrows(ConfigProblemsException.class, () -> SettingsLoader.load(
                with("vigil.agent.mqtt.tls.ca-file = \"" + tmp.resolve("none.pem") + "\"")));
        assertTrue(missing.problems().get(0).endsWith("none.pem does not exist"), missing.problems().toString());
    }

    @Test
    void toString_masksPasswords() throws Exception {
        final AgentSettings settings = SettingsLoader.load(with(
                "vigil.agent { mqtt { user = u, password = mqtt-secret-1 }, media { publish-user = r, publish-password = relay-secret-2 } }"));
        assertFalse(settings.toString().contains("mqtt-secret-1"));
        assertFalse(settings.toString().contains("relay-secret-2"));
    }
}
