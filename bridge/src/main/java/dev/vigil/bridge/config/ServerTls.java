package dev.vigil.bridge.config;

import dev.vigil.common.config.ConfigReader;
import dev.vigil.common.mqtt.CaFile;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
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

    private static final String CERT = "server.tls.cert-file";
    private static final String KEY = "server.tls.key-file";

    /** Reads both files; on any problem, records one line per problem in {@code reader} and returns null. */
    static ServerTls load(final Path certFile, final Path keyFile, final ConfigReader reader) {
        final List<X509Certificate> chain = chain(certFile, reader);
        final PrivateKey key = key(keyFile, reader);
        if (chain == null || key == null) {
            return null;
        }
        final X509Certificate own = chain.get(0);
        if (!own.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            reader.problem(KEY, keyFile + " is a " + key.getAlgorithm() + " key, but the certificate in " + certFile
                    + " holds a " + own.getPublicKey().getAlgorithm() + " key: they do not belong together");
            return null;
        }
        if (own.getNotAfter().toInstant().isBefore(Instant.now())) {
            reader.problem(CERT, certFile + ": the certificate expired on " + own.getNotAfter().toInstant());
            return null;
        }
        return new ServerTls(key, List.copyOf(chain));
    }

    private static List<X509Certificate> chain(final Path file, final ConfigReader reader) {
        try {
            return CaFile.read(file);
        } catch (final IOException e) {
            reader.problem(CERT, e.getMessage());
            return null;
        }
    }

    private static PrivateKey key(final Path file, final ConfigReader reader) {
        if (!Files.isReadable(file)) {
            reader.problem(KEY, file + (Files.exists(file) ? " cannot be read by this user" : " does not exist"));
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
        reader.problem(KEY, file + " holds no unencrypted PKCS#8 or RSA private key in PEM"
                + " (convert one with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem)");
        return null;
    }
}
