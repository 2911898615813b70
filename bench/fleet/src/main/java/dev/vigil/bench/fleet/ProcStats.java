package dev.vigil.bench.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory and CPU time of a process, from {@code /proc}. */
final class ProcStats {

    private static final long TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** VmRSS in MiB. */
    static double rssMib(final long pid) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (final IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** User plus system CPU time in seconds (children excluded). */
    static double cpuSeconds(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
        } catch (final IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The live heap of JVM {@code pid} in MiB: a full GC ({@code jcmd GC.run}), then the used parts of
     * {@code jcmd GC.heap_info}. NaN when jcmd cannot tell.
     */
    static double liveHeapMib(final long pid) {
        try {
            final String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
            final Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            final String text = new String(info.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            info.waitFor();
            long usedKib = 0;
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*(?:DefNew|Tenured|def new generation|tenured generation) +total \\d+K, used (\\d+)K").matcher(text);
            while (m.find()) {
                usedKib += Long.parseLong(m.group(1));
            }
            return usedKib == 0 ? Double.NaN : usedKib / 1024.0;
        } catch (final IOException e) {
            return Double.NaN;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** The CPU use of {@code pid} between two readings, in percent of one core. */
    record Sample(long pid, double cpu, long nanos) {
        static Sample of(final long pid) {
            return new Sample(pid, cpuSeconds(pid), System.nanoTime());
        }

        double percentSince(final Sample before) {
            return 100.0 * (cpu - before.cpu) / ((nanos - before.nanos) / 1e9);
        }
    }
}
