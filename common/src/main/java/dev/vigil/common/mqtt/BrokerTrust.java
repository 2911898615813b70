package dev.vigil.common.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the broker's certificate with the JDK's PKIX trust manager, in two steps so that a refusal
 * can say what is wrong: first the chain (trusted by the CA file? in its validity period?), then the
 * host name. Each refusal is a {@link BrokerCertificateException} with one line for the operator.
 * The CA file is read at every connection attempt and used anew when it changed (HiveMQ keeps one TLS
 * context per client), so a fixed file is used at the next attempt, without a restart.
 */
final class BrokerTrust extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.mqtt");

    private final String host;
    private final BrokerTls tls;
    private byte[] loadedFile;
    private X509ExtendedTrustManager loaded;

    private BrokerTrust(final String host, final BrokerTls tls) {
        this.host = host;
        this.tls = tls;
    }

    /** A factory of one {@link BrokerTrust} for the client. */
    static TrustManagerFactory factory(final String host, final BrokerTls tls) {
        return new Factory(new BrokerTrust(host, tls));
    }

    /** The PKIX trust manager of the CA file as it is now (or of the JVM's trust store). */
    private synchronized X509ExtendedTrustManager pkix() throws CertificateException {
        try {
            if (tls.caFile() != null) {
                final byte[] now = Files.readAllBytes(tls.caFile());
                if (loaded != null && Arrays.equals(now, loadedFile)) {
                    return loaded;
                }
                loadedFile = now;
            } else if (loaded != null) {
                return loaded;
            }
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
                LOG.info("MQTT broker certificates are checked against {} ({} certificate(s))", tls.trustedBy(), i);
            }
            for (final TrustManager manager : pkix.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    loaded = extended;
                    return extended;
                }
            }
            throw new BrokerCertificateException("cannot check the MQTT broker's certificate: no X.509 trust manager in this JVM", null);
        } catch (final NoSuchFileException e) {
            loaded = null;
            throw new BrokerCertificateException("cannot check the MQTT broker's certificate: CA file " + tls.caFile()
                    + " does not exist", e);
        } catch (final IOException e) {
            loaded = null;
            throw new BrokerCertificateException("cannot check the MQTT broker's certificate: CA file " + e.getMessage(), e);
        } catch (final GeneralSecurityException e) {
            loaded = null;
            throw new BrokerCertificateException("cannot check the MQTT broker's certificate: cannot use " + tls.trustedBy()
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException {
        checkChain(chain, authType);
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException {
        checkChainThenHost(chain, authType, pkix -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException {
        checkChainThenHost(chain, authType, pkix -> pkix.checkServerTrusted(chain, authType, socket));
    }

    /** A check of the JDK's trust manager that also does the connection's host name check. */
    private interface HostCheck {
        void check(X509ExtendedTrustManager pkix) throws CertificateException;
    }

    /** The chain first (trust, dates), then the whole check again with the host name: a failure there is the name. */
    private void checkChainThenHost(final X509Certificate[] chain, final String authType, final HostCheck withHost)
            throws CertificateException {
        checkChain(chain, authType);
        try {
            withHost.check(pkix());
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
        try {
            return pkix().getAcceptedIssuers();
        } catch (final CertificateException e) {
            return new X509Certificate[0];
        }
    }

    private void checkChain(final X509Certificate[] chain, final String authType) throws CertificateException {
        final X509ExtendedTrustManager pkix = pkix();
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

    /** What HiveMQ (through Netty) asks for trust managers: the client's one {@link BrokerTrust}. */
    private static final class Factory extends TrustManagerFactory {

        private static final Provider PROVIDER = new Provider("vigil-broker-trust", "1", "the CA file of the MQTT broker") {
            private static final long serialVersionUID = 1L;
        };

        Factory(final BrokerTrust trust) {
            super(new TrustManagerFactorySpi() {
                @Override
                protected void engineInit(final KeyStore keyStore) {
                    // BrokerTrust reads its CA file itself, whenever it changes
                }

                @Override
                protected void engineInit(final ManagerFactoryParameters parameters) {
                    // as above
                }

                @Override
                protected TrustManager[] engineGetTrustManagers() {
                    return new TrustManager[] {trust};
                }
            }, PROVIDER, "vigil-broker-trust");
        }
    }
}
