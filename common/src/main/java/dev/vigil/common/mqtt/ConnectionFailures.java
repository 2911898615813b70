package dev.vigil.common.mqtt;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/** Why a connection to the broker failed or ended, as one line for an operator (never a secret). */
public final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /** One line for {@code cause}, from the most telling exception in its chain. */
    public static String describe(final Throwable cause, final BrokerSettings broker) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BrokerCertificateException) {
                return t.getMessage();
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Mqtt5ConnAckException connAck) {
                return "the broker refused the connection: " + connAck.getMqttMessage().getReasonCode();
            }
            if (t instanceof Mqtt5DisconnectException disconnect) {
                return "the broker closed the connection: " + disconnect.getMqttMessage().getReasonCode();
            }
            if (t instanceof SSLException) {
                return "the TLS handshake with " + broker.address() + " failed: " + message(t)
                        + (broker.tls().enabled() ? " (does the broker speak TLS on this port?)" : "");
            }
            if (t instanceof ConnectException) {
                return "cannot connect to " + broker.address() + ": " + message(t);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host " + broker.host();
            }
        }
        return message(rootOf(cause));
    }

    private static Throwable rootOf(final Throwable error) {
        Throwable root = error;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The message of {@code t} on one line, or its kind when it has none. */
    private static String message(final Throwable t) {
        if (t == null) {
            return "no reason given";
        }
        final String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName().replace("Exception", " error");
        }
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
