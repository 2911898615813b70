package dev.vigil.common.mqtt;

import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Prompt reconnection as a caller sees it: what must reach the broker while the connection is down
 * waits, bounded, for the automatic reconnect ({@link MqttClients}) instead of failing at once. Add it
 * as a connected listener of the client: it wakes every waiter the moment the client is connected
 * again. How soon that is after the broker's return is the client's {@code reconnect-max-delay}
 * (HiveMQ adds up to 25 % to it).
 */
public final class ReconnectWait implements MqttClientConnectedListener {

    /** The longest sleep between two looks at the state: covers a wake-up that came just before the wait. */
    private static final long LOOK_EVERY_MILLIS = 50;

    private final Object signal = new Object();
    private final BooleanSupplier connected;

    /**
     * @param connected whether the client is connected now (its state; read at each look, so it may
     *                  name a client built after this listener)
     */
    public ReconnectWait(final BooleanSupplier connected) {
        this.connected = connected;
    }

    @Override
    public void onConnected(final MqttClientConnectedContext context) {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /**
     * Whether the client is connected, or becomes so within {@code timeout}; false at once when the
     * waiting thread is interrupted (its interrupt flag stays set).
     */
    public boolean await(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (!connected.getAsBoolean()) {
                final long leftNanos = deadline - System.nanoTime();
                if (leftNanos <= 0) {
                    return false;
                }
                try {
                    // Rounded up: the wait never ends before its bound.
                    signal.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(leftNanos + 999_999), LOOK_EVERY_MILLIS));
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
