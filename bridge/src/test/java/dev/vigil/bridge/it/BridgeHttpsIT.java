package dev.vigil.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar serving HTTPS through Helidon's TLS from PEM files (server.tls), and its start-up checks of them. */
class BridgeHttpsIT {

    private static final Path JAR = Path.of("target", "vigil-bridge.jar").toAbsolutePath();

    @TempDir
    Path tmp;

    private static String tls(final Path cert, final Path key) {
        return "vigil.bridge.server.tls { enabled = true, cert-file = \"" + cert + "\", key-file = \"" + key + "\" }\n";
    }

    @Test
    void https_answersWithTheConfiguredCertificate_andRelayOnLoopbackIsAllowed_andClientsOfAnotherCaAreRefused() throws Exception {
        final TestPki pki = TestPki.create(tmp.resolve("pki"));
        final TestPki.Issued server = pki.goodServer();
        try (BridgeProcess bridge = BridgeProcess.start(TestConfigs.hocon("") + tls(server.chainFile(), server.keyFile()), Map.of())) {
            assertTrue(bridge.anyLineContains("listening on https://"), String.join("\n", bridge.lines()));
            final String base = bridge.base().replace("http://127.0.0.1", "https://localhost");
            final HttpRequest root = HttpRequest.newBuilder(URI.create(base + "/")).timeout(Duration.ofSeconds(20)).build();
            try (HttpClient trusting = HttpClient.newBuilder().sslContext(pki.clientContext()).build()) {
                final HttpResponse<String> reply = trusting.send(root, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, reply.statusCode());
                assertEquals("{\"msg\":\"Media bridge service running!\"}", reply.body());
                assertEquals("CN=localhost", reply.sslSession().orElseThrow().getPeerPrincipal().getName());
                // The relay on the same host asks over HTTPS: still an allowed caller (by address, not
                // by the name TLS gives the peer), so the question is decided (401), not refused (403).
                final HttpResponse<String> relay = trusting.send(HttpRequest.newBuilder(URI.create(base + "/relay/auth"))
                        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"\",\"password\":\"\",\"ip\":\"127.0.0.1\","
                                + "\"action\":\"read\",\"path\":\"live/stream\",\"protocol\":\"rtsp\",\"id\":null,\"query\":\"\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, relay.statusCode(), relay.body());
            }
            final TestPki other = TestPki.create(tmp.resolve("other"), "Other CA");
            try (HttpClient stranger = HttpClient.newBuilder().sslContext(other.clientContext()).build()) {
                assertThrows(SSLHandshakeException.class, () -> stranger.send(root, HttpResponse.BodyHandlers.ofString()));
            }
            final HttpRequest plain = HttpRequest.newBuilder(URI.create(bridge.base() + "/")).timeout(Duration.ofSeconds(20)).build();
            try (HttpClient client = HttpClient.newHttpClient()) {
                assertThrows(IOException.class, () -> client.send(plain, HttpResponse.BodyHandlers.ofString()));
            }
        }
    }

    @Test
    void start_exits2NamingEachTlsFile_whenMissingOrNotAKey() throws Exception {
        final TestPki.Issued server = TestPki.create(tmp.resolve("pki")).goodServer();
        final Path notAKey = Files.writeString(tmp.resolve("not-a.key"), "-----BEGIN PRIVATE KEY-----\nU2VjcmV0LUtleS1CeXRlcw==\n-----END PRIVATE KEY-----\n");
        final Path missing = tmp.resolve("missing.crt");
        for (final String conf : List.of(tls(missing, server.keyFile()), tls(server.certFile(), notAKey))) {
            final Path file = Files.writeString(Files.createTempFile("vigil-tls", ".conf"), TestConfigs.hocon("") + conf);
            try (ManagedProcess bridge = ManagedProcess.start(List.of(Java.binary(), "-Dconfig.file=" + file, "-jar", JAR.toString()),
                    Map.of(), Path.of("target"))) {
                assertEquals(2, bridge.awaitExit(Duration.ofSeconds(20)));
                final String output = String.join("\n", bridge.lines());
                if (conf.contains(missing.toString())) {
                    assertTrue(output.contains("server.tls.cert-file: " + missing + " does not exist"), output);
                } else {
                    assertTrue(output.contains("server.tls.key-file: " + notAKey + " holds no unencrypted PKCS#8 or RSA private key"), output);
                    assertFalse(output.contains("U2VjcmV0LUtleS1CeXRlcw"), output);
                }
            }
        }
    }
}
