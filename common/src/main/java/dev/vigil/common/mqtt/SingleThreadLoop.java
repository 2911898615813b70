package dev.vigil.common.mqtt;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.reactivex.schedulers.Schedulers;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One thread for everything a small process does: the MQTT client's network I/O and callbacks, and
 * the caller's own serial work and timers ({@link #executor()}). On a Raspberry Pi every thread costs
 * memory; the agent has one connection and a handful of events a second, which one thread serves.
 * Work on it must never block.
 */
public final class SingleThreadLoop implements AutoCloseable {

    private final NioEventLoopGroup group;

    public SingleThreadLoop(final String threadName) {
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory(threadName, true));
    }

    /** The loop as a serial executor with timers. */
    public ScheduledExecutorService executor() {
        return group.next();
    }

    /** {@code builder} with its network and its callbacks on this loop. */
    public Mqtt5ClientBuilder serve(final Mqtt5ClientBuilder builder) {
        return builder.executorConfig(MqttClientExecutorConfig.builder()
                .nettyExecutor(group)
                .nettyThreads(1)
                .applicationScheduler(Schedulers.from(group.next()))
                .build());
    }

    /** Ends the thread once queued work is done, waiting at most {@code timeout}. */
    public void close(final Duration timeout) {
        group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(timeout.toMillis());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
