package dev.vigil.testkit;

/** Sleeping in polling loops, keeping the interrupt flag. */
final class Sleep {

    private Sleep() {
    }

    static void millis(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
