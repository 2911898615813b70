package dev.vigil.agent.pipeline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Names what is wrong with the relay's TLS certificate when a publish over TLS (rtsps, rtmps) fails:
 * GStreamer only says "Unacceptable TLS certificate", if anything. It makes its own handshake with
 * the relay, checking the certificate as GStreamer does (the system's CAs, the host name of the URL),
 * and returns one line that says which check failed, or null when the handshake succeeds or the
 * relay cannot be reached at all (then the certificate is not the problem). No credential of the URL
 * appears in the line.
 */
public final class TlsDiagnosis implements Supplier<String> {

    private static final int TIMEOUT_MILLIS = 3000;

    private final String host;
    private final int port;
    private final TrustManagerFactory trust;

    TlsDiagnosis(final String host, final int port, final TrustManagerFactory trust) {
        this.host = host;
        this.port = port;
        this.trust = trust;
    }

    /** The diagnosis for a publish URL; {@code null} unless its scheme is rtsps or rtmps. */
    public static Supplier<String> of(final String url) {
        final URI uri;
        try {
            uri = URI.create(url);
        } catch (final IllegalArgumentException e) {
            return null;
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        final int defaultPort = switch (scheme) {
            case "rtsps" -> 322;
            case "rtmps" -> 443;
            default -> -1;
        };
        if (defaultPort < 0 || uri.getHost() == null) {
            return null;
        }
        return new TlsDiagnosis(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort, systemTrust());
    }

    /** The JVM's default trust store: on Debian, /etc/ssl/certs/java/cacerts, made from the system's CAs. */
    static TrustManagerFactory systemTrust() {
        try {
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("no default trust manager", e);
        }
    }

    @Override
    public String get() {
        final AtomicReference<X509Certificate[]> seen = new AtomicReference<>();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Recording((X509ExtendedTrustManager) trust.getTrustManagers()[0], seen)}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
                final SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                return null;
            }
        } catch (final SSLHandshakeException e) {
            return seen.get() == null ? null : describe(e, seen.get()[0]);
        } catch (final IOException | GeneralSecurityException e) {
            return null;
        }
    }

    private String describe(final Throwable failure, final X509Certificate certificate) {
        final String prefix = "TLS: the relay's certificate at " + host + ":" + port + " is refused: ";
        final java.time.Instant now = java.time.Instant.now();
        if (certificate.getNotAfter().toInstant().isBefore(now)) {
            return prefix + "it expired on " + certificate.getNotAfter().toInstant();
        }
        if (certificate.getNotBefore().toInstant().isAfter(now)) {
            return prefix + "it is not valid before " + certificate.getNotBefore().toInstant();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return prefix + "it expired on " + certificate.getNotAfter().toInstant();
            }
            if (t instanceof CertificateNotYetValidException) {
                return prefix + "it is not valid before " + certificate.getNotBefore().toInstant();
            }
            final String message = String.valueOf(t.getMessage());
            if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
                return prefix + "it is not for the host name " + host + " (it names " + names(certificate) + ")";
            }
            if (t instanceof CertPathValidatorException || message.contains("unable to find valid certification path")) {
                return prefix + "its issuer " + certificate.getIssuerX500Principal().getName()
                        + " is not a CA this robot trusts (add the relay's CA to /usr/local/share/ca-certificates)";
            }
        }
        return prefix + failure.getMessage();
    }

    private static String names(final X509Certificate certificate) {
        try {
            final var alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null && !alternatives.isEmpty()) {
                return String.join(", ", alternatives.stream().map(entry -> String.valueOf(entry.get(1))).toList());
            }
        } catch (final java.security.cert.CertificateParsingException e) {
            // fall back to the subject below
        }
        return certificate.getSubjectX500Principal().getName();
    }

    /** The default checks, remembering the chain the relay showed. */
    private static final class Recording extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final AtomicReference<X509Certificate[]> seen;

        Recording(final X509ExtendedTrustManager delegate, final AtomicReference<X509Certificate[]> seen) {
            this.delegate = delegate;
            this.seen = seen;
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
                throws java.security.cert.CertificateException {
            seen.set(chain);
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
                throws java.security.cert.CertificateException {
            seen.set(chain);
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
                throws java.security.cert.CertificateException {
            seen.set(chain);
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
