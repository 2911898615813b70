package dev.vigil.common.mqtt;

import java.security.cert.CertificateException;

/** The broker's certificate was refused; the message is one line that names the problem for an operator. */
public final class BrokerCertificateException extends CertificateException {

    private static final long serialVersionUID = 1L;

    BrokerCertificateException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
