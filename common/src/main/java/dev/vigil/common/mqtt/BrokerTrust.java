package dev.vigil.common.mqtt;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks the broker's certificate with the JDK's PKIX trust manager, in two steps so that a refusal
 * can say what is wrong: first the chain (trusted by the CA file? in its validity period?), then the
 * host name. Each refusal is a {@link BrokerCertificateException} with one line for the operator.
 * The CA file is read again for every connection attempt, so a fixed file is used without a restart.
 */
final class BrokerTrust extends X509ExtendedTrustManager {

    private final String host;
    private final BrokerTls tls;
    private final X509ExtendedTrustManager pkix;

    private BrokerTrust(final String host, final BrokerTls tls, final X509ExtendedTrustManager pkix) {
        this.host = host;
        this.tls = tls;
        this.pkix = pkix;
    }

    /** A factory whose trust manager is made afresh (the CA file read again) each time it is asked. */
    static TrustManagerFactory factory(final String host, final BrokerTls tls) {
        return new Factory(host, tls);
    }

    static X509TrustManager load(final String host, final BrokerTls tls) {
        try {
            final TrustManagerFactory pkix = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile() == null) {
                pkix.init((KeyStore) null);
            } else {
                final KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
                anchors.load(null, null);
                int i = 0;
                for (final X509Certificate ca : CaFile.read(tls.caFile())) {
                    anchors.setCertificateEntry("ca-" + i++, ca);
                }
                pkix.init(anchors);
            }
            for (final TrustManager manager : pkix.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return new BrokerTrust(host, tls, extended);
                }
            }
            return new Refusing("no X.509 trust manager in this JVM");
        } catch (final IOException e) {
            return new Refusing("CA file " + e.getMessage());
        } catch (final GeneralSecurityException e) {
            return new Refusing("cannot use " + tls.trustedBy() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException {
        checkChain(chain, authType);
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException {
        checkChain(chain, authType);
        try {
            pkix.checkServerTrusted(chain, authType, engine);
        } catch (final CertificateException e) {
            throw mismatch(chain, e);
        }
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException {
        checkChain(chain, authType);
        try {
            pkix.checkServerTrusted(chain, authType, socket);
        } catch (final CertificateException e) {
            throw mismatch(chain, e);
        }
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException {
        throw new CertificateException("this trust manager checks brokers only");
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    private void checkChain(final X509Certificate[] chain, final String authType) throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (final CertificateException e) {
            throw refusal(chain, e);
        }
    }

    private BrokerCertificateException refusal(final X509Certificate[] chain, final CertificateException cause) {
        final Date now = new Date();
        for (int i = 0; i < chain.length; i++) {
            final String whose = i == 0 ? "MQTT broker certificate for host " + host
                    : "MQTT broker's CA certificate " + chain[i].getSubjectX500Principal().getName();
            try {
                chain[i].checkValidity(now);
            } catch (final CertificateExpiredException e) {
                return new BrokerCertificateException(whose + " expired on " + instant(chain[i].getNotAfter()), cause);
            } catch (final CertificateNotYetValidException e) {
                return new BrokerCertificateException(whose + " is not valid before " + instant(chain[i].getNotBefore())
                        + " (is this machine's clock right?)", cause);
            }
        }
        return new BrokerCertificateException("MQTT broker certificate for host " + host + " is not trusted by "
                + tls.trustedBy(), cause);
    }

    private BrokerCertificateException mismatch(final X509Certificate[] chain, final CertificateException cause) {
        return new BrokerCertificateException("MQTT broker certificate does not match host name " + host
                + " (it is for " + names(chain[0]) + ")", cause);
    }

    /** The certificate's DNS and IP names, or its subject when it has none. */
    static String names(final X509Certificate certificate) {
        final List<String> names = new ArrayList<>();
        try {
            final Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (final List<?> name : alternatives) {
                    final int type = (Integer) name.get(0);
                    if (type == 2) {
                        names.add("DNS:" + name.get(1));
                    } else if (type == 7) {
                        names.add("IP:" + name.get(1));
                    }
                }
            }
        } catch (final CertificateParsingException e) {
            names.clear();
        }
        return names.isEmpty() ? certificate.getSubjectX500Principal().getName() : String.join(", ", names);
    }

    private static String instant(final Date date) {
        return Instant.ofEpochMilli(date.getTime()).toString();
    }

    /** Refuses every certificate with one reason (the CA file could not be read when the connection began). */
    private static final class Refusing extends X509ExtendedTrustManager {

        private final String reason;

        Refusing(final String reason) {
            this.reason = reason;
        }

        private CertificateException refuse() {
            return new BrokerCertificateException("cannot check the MQTT broker's certificate: " + reason, null);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
                throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
                throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
                throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
                throws CertificateException {
            throw refuse();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** What HiveMQ (through Netty) asks for trust managers: a new {@link BrokerTrust} each time. */
    private static final class Factory extends TrustManagerFactory {

        private static final Provider PROVIDER = new Provider("vigil-broker-trust", "1", "the CA file of the MQTT broker") {
            private static final long serialVersionUID = 1L;
        };

        Factory(final String host, final BrokerTls tls) {
            super(new TrustManagerFactorySpi() {
                @Override
                protected void engineInit(final KeyStore keyStore) {
                    // the CA file is read in engineGetTrustManagers, for each connection attempt
                }

                @Override
                protected void engineInit(final ManagerFactoryParameters parameters) {
                    // as above
                }

                @Override
                protected TrustManager[] engineGetTrustManagers() {
                    return new TrustManager[] {load(host, tls)};
                }
            }, PROVIDER, "vigil-broker-trust");
        }
    }
}
