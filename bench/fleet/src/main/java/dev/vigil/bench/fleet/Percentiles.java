package dev.vigil.bench.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latencies in milliseconds and their percentiles (nearest rank). */
final class Percentiles {

    private final List<Double> values = new ArrayList<>();

    synchronized void add(final double millis) {
        values.add(millis);
    }

    synchronized int count() {
        return values.size();
    }

    synchronized double at(final double percent) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    double max() {
        return at(100);
    }
}
