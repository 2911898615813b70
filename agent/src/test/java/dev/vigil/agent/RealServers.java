package dev.vigil.agent;

import dev.vigil.testkit.MediaMtx;
import dev.vigil.testkit.Mosquitto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A real Mosquitto (the agent's and the probe's users) and a real, open MediaMTX, started once for
 * the test class that extends this and stopped after it.
 */
abstract class RealServers {

    static Mosquitto broker;
    static MediaMtx relay;

    @BeforeAll
    static void startServers() {
        broker = Mosquitto.builder()
                .user(AgentUnderTest.MQTT_USER, AgentUnderTest.MQTT_PASSWORD)
                .user(AgentUnderTest.PROBE_USER, AgentUnderTest.PROBE_PASSWORD)
                .start();
        relay = MediaMtx.start();
    }

    @AfterAll
    static void stopServers() {
        if (relay != null) {
            relay.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
