package dev.vigil.bridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static final ClientAddress BEHIND_LB = ClientAddress.trusting(List.of("10.0.0.0/8", "127.0.0.1", "fd00::/8"));

    @Test
    void withoutTrustedProxies_theHeaderIsIgnored() {
        assertEquals("10.1.2.3", ClientAddress.PEER.resolve("10.1.2.3", List.of("203.0.113.7")));
    }

    @Test
    void fromAnUntrustedPeer_theHeaderIsIgnored() {
        assertEquals("198.51.100.9", BEHIND_LB.resolve("198.51.100.9", List.of("203.0.113.7")));
    }

    @Test
    void fromATrustedProxy_theAddressItAppendedCounts() {
        assertEquals("203.0.113.7", BEHIND_LB.resolve("10.0.0.5", List.of("203.0.113.7")));
    }

    @Test
    void whatTheClientWroteLeftOfItsOwnAddress_isNotBelieved() {
        assertEquals("203.0.113.7", BEHIND_LB.resolve("10.0.0.5", List.of("1.2.3.4, 203.0.113.7")));
        assertEquals("203.0.113.7", BEHIND_LB.resolve("10.0.0.5", List.of("garbage, 203.0.113.7")));
    }

    @Test
    void proxiesInAChain_areSkipped_overSeveralLines() {
        assertEquals("203.0.113.7", BEHIND_LB.resolve("127.0.0.1", List.of("1.2.3.4", "203.0.113.7, 10.9.8.7")));
        assertEquals("2001:db8:0:0:0:0:0:1", BEHIND_LB.resolve("fd00::2", List.of("[2001:db8::1]")));
    }

    @Test
    void noUsableHeader_countsAsTheProxyItself() {
        assertEquals("10.0.0.5", BEHIND_LB.resolve("10.0.0.5", List.of()));
        assertEquals("10.0.0.5", BEHIND_LB.resolve("10.0.0.5", List.of("unknown")));
        assertEquals("10.0.0.5", BEHIND_LB.resolve("10.0.0.5", List.of("999.1.1.1")));
        assertEquals("10.2.2.2", BEHIND_LB.resolve("10.0.0.5", List.of("10.2.2.2")), "all trusted: the farthest one");
    }

    @Test
    void literal_neverAsksDns() {
        assertTrue(ClientAddress.literal("cafe").isEmpty());
        assertTrue(ClientAddress.literal("localhost").isEmpty());
        assertTrue(ClientAddress.literal("256.1.1.1").isEmpty());
        assertEquals("0:0:0:0:0:0:0:1", ClientAddress.literal("::1").orElseThrow().getHostAddress());
    }

    @Test
    void aBadEntry_isNamed() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientAddress.trusting(List.of("10.0.0.0/8", "proxy.example.org")));
        assertTrue(e.getMessage().contains("'proxy.example.org'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.trusting(List.of("10.0.0.0/40")));
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.trusting(List.of("::/x")));
    }
}
