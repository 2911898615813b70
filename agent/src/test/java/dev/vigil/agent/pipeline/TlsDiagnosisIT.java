package dev.vigil.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.OpensslPki;
import dev.vigil.testkit.Ports;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's own TLS check of the relay names each kind of refused certificate in one line, against
 * a real TLS server (openssl s_server) showing a good, an expired, a wrong-host or a stranger's certificate.
 */
class TlsDiagnosisIT {

    private static OpensslPki pki;
    private static TrustManagerFactory trust;

    @BeforeAll
    static void pki() throws Exception {
        pki = OpensslPki.create();
        final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pki.file("ca.crt"))) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
    }

    private static String diagnose(final Path cert, final String key) throws Exception {
        final int port = Ports.free();
        try (ManagedProcess server = ManagedProcess.start(List.of("openssl", "s_server", "-quiet", "-accept", "127.0.0.1:" + port,
                "-cert", cert.toString(), "-key", pki.file(key).toString()), Map.of(), pki.file("."))) {
            Ports.awaitOpen(port, Duration.ofSeconds(10), "openssl s_server");
            return new TlsDiagnosis("localhost", port, trust).get();
        }
    }

    @Test
    void get_isNull_whenTheCertificateIsGood() throws Exception {
        assertNull(diagnose(pki.server("good", List.of("localhost")), "good.key"));
    }

    @Test
    void get_namesTheExpiry_whenExpired() throws Exception {
        final String line = diagnose(pki.expired("old", List.of("localhost")), "old.key");
        assertTrue(line.startsWith("TLS: the relay's certificate at localhost:"), line);
        assertTrue(line.contains("it expired on 2020-01-02T00:00:00Z"), line);
    }

    @Test
    void get_namesTheHost_whenTheCertificateIsForAnother() throws Exception {
        final String line = diagnose(pki.server("other", List.of("relay.elsewhere.test")), "other.key");
        assertTrue(line.contains("it is not for the host name localhost (it names relay.elsewhere.test)"), line);
    }

    @Test
    void get_namesTheUntrustedIssuer_whenAnotherCaSignedIt() throws Exception {
        final OpensslPki stranger = OpensslPki.create();
        final Path cert = stranger.server("stranger", List.of("localhost"));
        Files.copy(stranger.file("stranger.key"), pki.file("stranger.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        final String line = diagnose(cert, "stranger.key");
        assertTrue(line.contains("its issuer CN=Vigil test CA is not a CA this robot trusts"), line);
    }

    @Test
    void get_isNull_whenNothingListens_orTheSchemeHasNoTls() {
        assertNull(new TlsDiagnosis("localhost", Ports.free(), trust).get());
        assertNull(TlsDiagnosis.of("rtsp://u:p@localhost:8554/live/x").get());
        assertEquals(TlsDiagnosis.class, TlsDiagnosis.of("rtsps://u:p@localhost:8322/live/x").getClass());
    }
}
