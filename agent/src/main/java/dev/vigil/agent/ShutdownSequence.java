package dev.vigil.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Named shutdown steps, run once, in order, each bounded by a timeout and logged when slow. */
final class ShutdownSequence {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    private record Step(String name, Runnable action) {
    }

    private final List<Step> steps = new ArrayList<>();
    private final Duration stepTimeout;
    private final AtomicBoolean ran = new AtomicBoolean();

    ShutdownSequence(final Duration stepTimeout) {
        this.stepTimeout = stepTimeout;
    }

    ShutdownSequence step(final String name, final Runnable action) {
        steps.add(new Step(name, action));
        return this;
    }

    /** Runs every step once; later calls return at once. */
    void run() {
        if (!ran.compareAndSet(false, true)) {
            return;
        }
        final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            final Thread thread = new Thread(r, "shutdown");
            thread.setDaemon(true);
            return thread;
        });
        for (final Step step : steps) {
            final long started = System.nanoTime();
            final Future<?> done = runner.submit(step.action());
            try {
                done.get(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.debug("shutdown: {} took {} ms", step.name(), (System.nanoTime() - started) / 1_000_000);
            } catch (final TimeoutException e) {
                LOG.warn("shutdown: {} took longer than {}; going on", step.name(), stepTimeout);
                done.cancel(true);
            } catch (final ExecutionException e) {
                LOG.warn("shutdown: {} failed: {}", step.name(), e.getCause().toString());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        runner.shutdownNow();
    }
}
