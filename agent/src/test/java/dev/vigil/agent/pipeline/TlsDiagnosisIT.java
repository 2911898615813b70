package dev.vigil.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testkit.ManagedProcess;
import dev.vigil.testkit.Ports;
import dev.vigil.testkit.TestPki;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's own TLS check of the relay names each kind of refused certificate in one line, against
 * a real TLS server (openssl s_server) showing a good, an expired, a wrong-host or a stranger's certificate.
 */
class TlsDiagnosisIT {

    @TempDir
    static Path tmp;

    private static TestPki pki;
    private static TrustManagerFactory trust;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(tmp.resolve("pki"));
        final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("ca", pki.ca());
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
    }

    /** What the diagnosis says of a TLS server on localhost showing {@code server}. */
    private static String diagnose(final TestPki.Issued server) throws Exception {
        final int port = Ports.free();
        try (ManagedProcess openssl = ManagedProcess.start(List.of("openssl", "s_server", "-quiet", "-accept", "127.0.0.1:" + port,
                "-cert", server.certFile().toString(), "-key", server.keyFile().toString()), Map.of(), tmp)) {
            Ports.awaitOpen(port, Duration.ofSeconds(10), "openssl s_server");
            return new TlsDiagnosis("localhost", port, trust).get();
        }
    }

    @Test
    void get_isNull_whenTheCertificateIsGood() throws Exception {
        assertNull(diagnose(pki.goodServer()));
    }

    @Test
    void get_namesTheExpiry_whenExpired() throws Exception {
        final TestPki.Issued expired = pki.expiredServer();
        final String line = diagnose(expired);
        assertTrue(line.startsWith("TLS: the relay's certificate at localhost:"), line);
        assertTrue(line.contains("it expired on " + expired.certificate().getNotAfter().toInstant()), line);
    }

    @Test
    void get_namesTheHost_whenTheCertificateIsForAnother() throws Exception {
        final String line = diagnose(pki.wrongHostServer());
        assertTrue(line.contains("it is not for the host name localhost (it names " + TestPki.OTHER_HOST + ")"), line);
    }

    @Test
    void get_namesTheUntrustedIssuer_whenAnotherCaSignedIt() throws Exception {
        final TestPki stranger = TestPki.create(tmp.resolve("stranger"), "Stranger CA");
        final String line = diagnose(stranger.goodServer());
        assertTrue(line.contains("its issuer CN=Stranger CA is not a CA this robot trusts"), line);
    }

    @Test
    void get_isNull_whenNothingListens_orTheSchemeHasNoTls() {
        assertNull(new TlsDiagnosis("localhost", Ports.free(), trust).get());
        assertNull(TlsDiagnosis.of("rtsp://u:p@localhost:8554/live/x"));
        assertEquals(TlsDiagnosis.class, TlsDiagnosis.of("rtsps://u:p@localhost:8322/live/x").getClass());
    }
}
