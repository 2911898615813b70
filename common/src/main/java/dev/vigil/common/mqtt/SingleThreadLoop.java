package dev.vigil.common.mqtt;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.netty.channel.nio.NioEventLoopGroup;
import io.reactivex.plugins.RxJavaPlugins;
import io.reactivex.schedulers.Schedulers;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One thread for everything a small process does: the MQTT client's network I/O and callbacks, and
 * the caller's own serial work and timers ({@link #executor()}). On a Raspberry Pi every thread costs
 * memory; the agent has one connection and a handful of events a second, which one thread serves.
 * The thread is the one that calls {@link #run()} (the agent's main thread, which would otherwise
 * only wait). Work on it must never block.
 */
public final class SingleThreadLoop {

    private final BlockingQueue<Runnable> handOver = new LinkedBlockingQueue<>();
    private final NioEventLoopGroup group;
    private final String threadName;

    public SingleThreadLoop(final String threadName) {
        this.threadName = threadName;
        // Netty asks this executor, once, to run its event loop; run() takes it over.
        final Executor onRunningThread = handOver::add;
        this.group = new NioEventLoopGroup(1, onRunningThread);
    }

    /**
     * RxJava, under HiveMQ, starts threads of its own the moment its schedulers load: a purge thread,
     * and the evictor of the I/O scheduler, which HiveMQ never uses. Call this before any MQTT client
     * is built; the client's callbacks run on the loop ({@link #serve}), so no RxJava thread is needed.
     */
    public static void withoutRxJavaThreads() {
        System.setProperty("rx2.purge-enabled", "false");
        RxJavaPlugins.setInitIoSchedulerHandler(standard -> Schedulers.from(Runnable::run));
    }

    /** The loop as a serial executor with timers. Tasks wait until {@link #run()} starts the loop. */
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

    /** Runs the loop on the calling thread until {@link #close(Duration)}; returns then. */
    public void run() throws InterruptedException {
        Thread.currentThread().setName(threadName);
        executor().execute(() -> { });
        handOver.take().run();
    }

    /** Ends the loop once queued work is done, waiting at most {@code timeout}. */
    public void close(final Duration timeout) {
        group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(timeout.toMillis());
    }
}
