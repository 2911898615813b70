package dev.vigil.bridge.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.MqttProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MediaMTX runOnDemand hook (POSIX sh + curl) against the real bridge jar and broker. */
class OnDemandHookIT {

    private static final String MQTT_USER = "vigil";
    private static final String MQTT_PASSWORD = "mqtt-Hook-Pass-3";

    @Test
    void hook_holdsViewWhileRunning_andReleasesOnSigterm() throws Exception {
        try (Mosquitto broker = Mosquitto.builder().user(MQTT_USER, MQTT_PASSWORD).start();
             BridgeProcess bridge = BridgeProcess.start(TestConfigs.hocon("vigil.bridge.views.linger = 500ms"), Map.of(
                     "MQTT_BROKER", "127.0.0.1", "MQTT_PORT", Integer.toString(broker.port()),
                     "MQTT_USER", MQTT_USER, "MQTT_PASS", MQTT_PASSWORD));
             MqttProbe probe = MqttProbe.connect("127.0.0.1", broker.port(), MQTT_USER, MQTT_PASSWORD)) {
            probe.subscribe("robots/r2/stream");
            final Path token = Files.createTempFile("vigil-hook", ".token");
            Files.writeString(token, TestConfigs.VIEWER_TOKEN + "\n");
            final Path hook = Path.of("hooks", "vigil-on-demand").toAbsolutePath();
            try (ManagedProcess process = ManagedProcess.start(List.of("sh", hook.toString()), Map.of(
                    "MTX_PATH", "live/r2", "VIGIL_BRIDGE_URL", bridge.base(),
                    "VIGIL_BRIDGE_TOKEN_FILE", token.toString(), "VIGIL_RENEW_EVERY", "1"), Path.of("target"))) {
                await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> views(bridge) == 1);
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        probe.messages("robots/r2/stream").stream().anyMatch(m -> m.text().contains("\"command\":\"start\"")));
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> views(bridge) == 1);
                process.signal("TERM");
                assertEquals(0, process.awaitExit(Duration.ofSeconds(10)));
                assertTrue(process.anyLineContains("view lease released"));
                assertFalse(String.join("\n", process.lines()).contains(TestConfigs.VIEWER_TOKEN));
            }
            assertEquals(0, views(bridge));
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    probe.messages("robots/r2/stream").stream().anyMatch(m ->
                            m.text().equals("{\"command\":\"stop\",\"holder\":\"views\"}")));
        }
    }

    private static int views(final BridgeProcess bridge) throws Exception {
        final String body = bridge.send("GET", "/robots/r2", "Bearer " + TestConfigs.VIEWER_TOKEN, null).body();
        final int at = body.indexOf("\"views\":");
        return Integer.parseInt(body.substring(at + 8, body.indexOf(',', at)));
    }
}
