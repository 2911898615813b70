package dev.vigil.common.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReconnectWaitTest {

    private final AtomicBoolean connected = new AtomicBoolean();
    private final ReconnectWait wait = new ReconnectWait(connected::get);

    @Test
    void await_isTrueAtOnce_whenConnected() {
        connected.set(true);
        assertTrue(wait.await(Duration.ZERO));
    }

    @Test
    void await_isFalseAfterItsBound_whileDisconnected() {
        final long started = System.nanoTime();
        assertFalse(wait.await(Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(200).toNanos(), "it gave up before its bound");
    }

    @Test
    void await_isTrue_whenTheClientConnectsDuringTheWait() {
        final CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> wait.await(Duration.ofSeconds(60)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        connected.set(true);
        wait.onConnected(null);
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.getNow(false));
    }

    @Test
    void await_isFalseAndKeepsTheFlag_whenInterrupted() throws Exception {
        final AtomicBoolean result = new AtomicBoolean(true);
        final AtomicBoolean flagKept = new AtomicBoolean();
        final Thread waiter = new Thread(() -> {
            result.set(wait.await(Duration.ofSeconds(60)));
            flagKept.set(Thread.currentThread().isInterrupted());
        });
        waiter.start();
        waiter.interrupt();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertFalse(result.get());
        assertTrue(flagKept.get());
    }
}
