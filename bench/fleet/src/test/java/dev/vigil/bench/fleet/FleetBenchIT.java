package dev.vigil.bench.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fleet bench itself, small (20 robots), so that CI keeps it working: every phase completes
 * against the real servers and writes its table. The 1,000-robot figures come from
 * {@code bench/fleet/run.sh}, not from here.
 */
class FleetBenchIT {

    @Test
    void bench_measuresEveryFigure_withASmallFleet() throws Exception {
        final Path out = Files.createTempFile("fleet-bench", ".md");
        final Map<String, String> figures = FleetBench.run(20, out);
        assertEquals(10, figures.size(), figures.toString());
        final String table = Files.readString(out);
        assertTrue(table.contains("| fan-out: start to all 20 -> streaming acknowledged"), table);
        assertTrue(table.contains("| broker restart: all 20 back at the broker / at both bridges"), table);
        assertTrue(figures.values().stream().noneMatch(v -> v.contains("NaN")), table);
    }
}
