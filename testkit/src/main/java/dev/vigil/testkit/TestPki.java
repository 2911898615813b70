package dev.vigil.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA for tests, and server certificates it signs: a good one for this machine
 * ({@code localhost}, {@code 127.0.0.1}, {@code ::1}), an expired one, and one for another host name,
 * written as PEM files (and PKCS#12 on request) into a folder of the test's. EC P-256 keys, SHA-256.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create(tmp);
 * TestPki.Issued server = pki.goodServer();               // server.certFile(), server.keyFile()
 * Mosquitto broker = Mosquitto.builder().tls(server).start();
 * // a client trusts pki.caFile(); TestPki.create(otherDir) is a CA it does not trust
 * }</pre>
 */
public final class TestPki {

    /** The names {@link #goodServer()} is issued for. */
    public static final List<String> THIS_MACHINE = List.of("localhost", "127.0.0.1", "::1");
    /** The only name {@link #wrongHostServer()} is issued for. */
    public static final String OTHER_HOST = "not-this-host.invalid";

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;

    /**
     * A certificate with its key, as files.
     *
     * @param certFile    the certificate (PEM)
     * @param keyFile     its private key (PEM, PKCS#8, unencrypted)
     * @param chainFile   the certificate followed by the CA's (PEM)
     * @param certificate the certificate
     * @param key         its private key
     * @param ca          the CA that signed it
     */
    public record Issued(Path certFile, Path keyFile, Path chainFile, X509Certificate certificate, PrivateKey key,
                         X509Certificate ca) {

        /** A PKCS#12 key store with the key and the chain under the alias {@code server}, written to {@code file}. */
        public Path pkcs12(final Path file, final char[] password) {
            try {
                final KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", key, password, new Certificate[] {certificate, ca});
                try (OutputStream out = Files.newOutputStream(file)) {
                    store.store(out, password);
                }
                return file;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            } catch (final GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestPki(final Path dir, final String name, final KeyPair caKeys, final X509Certificate ca, final Path caFile) {
        this.dir = dir;
        this.name = name;
        this.caKeys = caKeys;
        this.ca = ca;
        this.caFile = caFile;
    }

    /** A new CA named "Vigil Test CA", valid from a day ago for ten years, with its certificate in {@code dir/ca.pem}. */
    public static TestPki create(final Path dir) {
        return create(dir, "Vigil Test CA");
    }

    /** A new CA with its own name; files go to {@code dir} (created if needed) under names that start with a slug of it. */
    public static TestPki create(final Path dir, final String caName) {
        try {
            Files.createDirectories(dir);
            final KeyPair keys = keys();
            final X500Name subject = new X500Name("CN=" + caName);
            final Instant now = Instant.now();
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
            final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            final X509Certificate ca = sign(builder, keys.getPrivate());
            final String slug = caName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            final Path caFile = pem(dir.resolve(slug + "-ca.pem"), List.of(ca));
            return new TestPki(dir, slug, keys, ca, caFile);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a test CA", e);
        }
    }

    /** The CA's certificate as a PEM file: what a client is told to trust. */
    public Path caFile() {
        return caFile;
    }

    /** The CA's certificate. */
    public X509Certificate ca() {
        return ca;
    }

    /** A TLS client context that trusts this CA only (for an HTTPS client in a test). */
    public SSLContext clientContext() {
        try {
            final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a client context", e);
        }
    }

    /** A server certificate for this machine, valid from a day ago for a year. */
    public Issued goodServer() {
        return server("good", THIS_MACHINE, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    /** A server certificate for this machine that expired yesterday (valid for the 30 days before). */
    public Issued expiredServer() {
        return server("expired", THIS_MACHINE, Instant.now().minus(Duration.ofDays(31)), Instant.now().minus(Duration.ofDays(1)));
    }

    /** A valid server certificate for {@link #OTHER_HOST} only. */
    public Issued wrongHostServer() {
        return server("wrong-host", List.of(OTHER_HOST), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    /**
     * A server certificate signed by this CA.
     *
     * @param label files are named {@code <ca>-<label>-cert.pem}, {@code -key.pem}, {@code -chain.pem}
     * @param names DNS names and IP addresses (an entry that parses as an address is one)
     */
    public Issued server(final String label, final List<String> names, final Instant notBefore, final Instant notAfter) {
        try {
            final KeyPair keys = keys();
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + names.get(0)), keys.getPublic());
            final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
            final List<GeneralName> alternatives = new ArrayList<>();
            for (final String name : names) {
                alternatives.add(isAddress(name) ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name));
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            final X509Certificate certificate = sign(builder, caKeys.getPrivate());
            final String prefix = name + "-" + label;
            final Path certFile = pem(dir.resolve(prefix + "-cert.pem"), List.of(certificate));
            final Path chainFile = pem(dir.resolve(prefix + "-chain.pem"), List.of(certificate, ca));
            final Path keyFile = dir.resolve(prefix + "-key.pem");
            try (Writer out = Files.newBufferedWriter(keyFile, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
            }
            return new Issued(certFile, keyFile, chainFile, certificate, keys.getPrivate(), ca);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    private static boolean isAddress(final String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static KeyPair keys() throws GeneralSecurityException {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(final X509v3CertificateBuilder builder, final PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static Path pem(final Path file, final List<X509Certificate> certificates) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (final X509Certificate certificate : certificates) {
                pem.writeObject(certificate);
            }
        }
        return file;
    }
}
