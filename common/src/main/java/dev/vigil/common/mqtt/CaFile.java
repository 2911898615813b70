package dev.vigil.common.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** A PEM file of certificates: a bundle of CA certificates, or a server's certificate chain. */
public final class CaFile {

    private CaFile() {
    }

    /** The certificates in {@code file}; throws with a one-line reason when there are none or it cannot be read. */
    public static List<X509Certificate> read(final Path file) throws IOException {
        final List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (final Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
        } catch (final NoSuchFileException e) {
            throw new IOException(file + " does not exist", e);
        } catch (final CertificateException e) {
            throw new IOException(file + " is not a PEM file of certificates", e);
        } catch (final IOException e) {
            throw new IOException(file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + " holds no certificate");
        }
        return certificates;
    }
}
