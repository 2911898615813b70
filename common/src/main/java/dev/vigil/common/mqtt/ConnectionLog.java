package dev.vigil.common.mqtt;

import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import dev.vigil.common.log.RepeatedWarning;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one client's connection: one clear line when the broker becomes unavailable (naming
 * the reason), a new line only when the reason changes, a summary of the retries every
 * {@link #REMINDER_EVERY}, and one line when it is connected again.
 */
final class ConnectionLog {

    /** How often a failure that goes on is summarised. */
    static final Duration REMINDER_EVERY = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.mqtt");

    private final BrokerSettings broker;
    private final UnaryOperator<String> masker;
    private final RepeatedWarning failures = new RepeatedWarning(LOG, REMINDER_EVERY, null);
    private int failedAttempts;

    ConnectionLog(final BrokerSettings broker, final UnaryOperator<String> masker) {
        this.broker = broker;
        this.masker = masker;
    }

    synchronized void onConnected(final MqttClientConnectedContext context) {
        failures.reset();
        LOG.info("MQTT connected to {}{}", broker.address(), failedAttempts == 0 ? ""
                : " after " + failedAttempts + " failed attempt(s)");
        failedAttempts = 0;
    }

    synchronized void onDisconnected(final MqttClientDisconnectedContext context) {
        if (context.getSource() == MqttDisconnectSource.USER) {
            LOG.info("MQTT disconnected from {}", broker.address());
            return;
        }
        failedAttempts++;
        final String reason = masker.apply(ConnectionFailures.describe(context.getCause(), broker));
        final long delay = context.getReconnector().getDelay(TimeUnit.MILLISECONDS);
        failures.warn(reason, "MQTT broker " + broker.address() + " unavailable: " + reason
                + "; retrying with backoff (next attempt in " + delay + " ms)");
    }
}
