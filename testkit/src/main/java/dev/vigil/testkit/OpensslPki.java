package dev.vigil.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway CA and certificates it signs (good, expired, for another host), made by the openssl
 * command in a temporary folder: PEM files, keys in PKCS#8.
 */
public final class OpensslPki {

    private final Path dir;

    private OpensslPki(final Path dir) {
        this.dir = dir;
    }

    /** A new CA (ca.crt, ca.key) in a fresh temporary folder. */
    public static OpensslPki create() throws IOException, InterruptedException {
        final OpensslPki pki = new OpensslPki(Files.createTempDirectory("vigil-pki"));
        pki.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Vigil test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        return pki;
    }

    /** A server certificate for {@code names} (DNS names and IP addresses), signed by the CA: NAME.crt and NAME.key (PKCS#8). */
    public Path server(final String name, final List<String> names) throws IOException, InterruptedException {
        final String san = String.join(",", names.stream()
                .map(n -> n.matches("[0-9.]+|.*:.*") ? "IP:" + n : "DNS:" + n).toList());
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + names.get(0));
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\nextendedKeyUsage=serverAuth\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "1", "-extfile", name + ".ext", "-out", name + ".crt");
        return dir.resolve(name + ".crt");
    }

    /** Like {@link #server}, but valid only in 2020: expired. */
    public Path expired(final String name, final List<String> names) throws IOException, InterruptedException {
        final Path cert = server(name, names);
        Files.writeString(dir.resolve("ca.cnf"), """
                [ca]
                default_ca = test
                [test]
                database = index.txt
                new_certs_dir = .
                serial = ca.srl
                default_md = sha256
                policy = any
                copy_extensions = copy
                [any]
                commonName = supplied
                """);
        Files.writeString(dir.resolve("index.txt"), "");
        openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.crt", "-keyfile", "ca.key", "-in", name + ".csr",
                "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extfile", name + ".ext",
                "-out", name + ".crt", "-notext");
        return cert;
    }

    /** A file in the folder (ca.crt, NAME.key, ...). */
    public Path file(final String name) {
        return dir.resolve(name);
    }

    /** A client context that trusts this CA only. */
    public SSLContext clientContext() throws Exception {
        final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private void openssl(final String... args) throws IOException, InterruptedException {
        final List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
