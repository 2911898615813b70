package dev.vigil.bridge.config;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HTTPS listener's key and certificate chain ({@code server.tls}), read from PEM files once at
 * start-up: an ACME client's {@code fullchain.pem} and {@code privkey.pem}, or the playbook's own.
 * Problems name the file and what is wrong with it, never the key's content.
 *
 * @param key   the private key
 * @param chain the certificate chain, the server's own certificate first
 */
public record ServerTls(PrivateKey key, List<X509Certificate> chain) {

    /** Reads both files; on any problem, adds one line per problem to {@code problems} and returns null. */
    static ServerTls load(final Path certFile, final Path keyFile, final List<String> problems) {
        final int before = problems.size();
        final List<X509Certificate> chain = chain(certFile, problems);
        final PrivateKey key = key(keyFile, problems);
        if (problems.size() > before) {
            return null;
        }
        final X509Certificate own = chain.get(0);
        if (!own.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            problems.add("server.tls.key-file " + keyFile + " is a " + key.getAlgorithm() + " key, but the certificate in "
                    + certFile + " holds a " + own.getPublicKey().getAlgorithm() + " key: they do not belong together");
            return null;
        }
        if (own.getNotAfter().toInstant().isBefore(Instant.now())) {
            problems.add("server.tls.cert-file " + certFile + ": the certificate expired on " + own.getNotAfter().toInstant());
            return null;
        }
        return new ServerTls(key, List.copyOf(chain));
    }

    private static List<X509Certificate> chain(final Path file, final List<String> problems) {
        final List<X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .forEach(certificate -> chain.add((X509Certificate) certificate));
        } catch (final NoSuchFileException e) {
            problems.add("server.tls.cert-file " + file + " does not exist");
            return chain;
        } catch (final IOException e) {
            problems.add("server.tls.cert-file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
            return chain;
        } catch (final CertificateException e) {
            problems.add("server.tls.cert-file " + file + " holds no PEM certificate that can be read");
            return chain;
        }
        if (chain.isEmpty()) {
            problems.add("server.tls.cert-file " + file + " holds no PEM certificate");
        }
        return chain;
    }

    private static PrivateKey key(final Path file, final List<String> problems) {
        if (!Files.isReadable(file)) {
            problems.add("server.tls.key-file " + file + (Files.exists(file) ? " cannot be read by this user" : " does not exist"));
            return null;
        }
        try {
            final Optional<PrivateKey> key = Keys.builder().pem(pem -> pem.key(Resource.create(file))).build().privateKey();
            if (key.isPresent()) {
                return key.get();
            }
        } catch (final RuntimeException e) {
            // the reader's message may quote the file's content: name only the file below
        }
        problems.add("server.tls.key-file " + file + " holds no unencrypted PKCS#8 or RSA private key in PEM"
                + " (convert one with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem)");
        return null;
    }
}
