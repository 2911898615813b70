package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge jar over MQTT with TLS (the shared client builder) against a real mosquitto's TLS listener. */
class BridgeTlsIT {

    private static final String USER = "bridge";
    private static final String PASSWORD = "bridge-tls-Pa55-9";

    @TempDir
    Path tmp;

    @Test
    void tls_expiredBrokerCertificate_logsOneClearLine_keepsNotReady_andConnectsOnceRenewed() throws Exception {
        final TestPki pki = TestPki.create(tmp);
        final TestPki.Issued expired = pki.expiredServer();
        try (Mosquitto broker = Mosquitto.builder().user(USER, PASSWORD).tls(expired).start();
             BridgeProcess bridge = BridgeProcess.start(TestConfigs.hocon("vigil.bridge.mqtt.reconnect-max-delay = 1s"), Map.of(
                     "MQTT_BROKER", broker.host(), "MQTT_PORT", Integer.toString(broker.tlsPort()),
                     "MQTT_USER", USER, "MQTT_PASS", PASSWORD, "MQTT_TLS", "true", "MQTT_CA_FILE", pki.caFile().toString()))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> broker.log().stream().filter(l -> l.contains("Client <unknown> disconnected")).count() >= 3);
            final List<String> said = bridge.lines().stream().filter(l -> l.contains("unavailable")).toList();
            assertEquals(1, said.size(), "one line however often it retries: " + said);
            assertTrue(said.get(0).contains("MQTT broker certificate for host 127.0.0.1 expired on "
                    + expired.certificate().getNotAfter().toInstant()), said.get(0));
            assertEquals(503, bridge.send("GET", "/observe/health/ready", null, null).statusCode());
            broker.useCertificate(pki.goodServer());
            await().ignoreExceptions().atMost(Duration.ofSeconds(30))
                    .until(() -> bridge.send("GET", "/observe/health/ready", null, null).statusCode() == 200);
            assertTrue(bridge.lines().stream().noneMatch(l -> l.contains(PASSWORD) || l.startsWith("\tat ")), bridge.lines().toString());
        }
    }
}
