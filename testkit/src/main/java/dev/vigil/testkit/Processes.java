package dev.vigil.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What runs on this machine, read from {@code /proc}. */
public final class Processes {

    private Processes() {
    }

    /** PIDs of live processes whose command line contains {@code substring} (the caller's JVM excluded). */
    public static List<Long> pidsMatching(final String substring) {
        final List<Long> pids = new ArrayList<>();
        final long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> pid != self && isAlive(pid))
                    .filter(pid -> commandLine(pid).contains(substring))
                    .forEach(pids::add);
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    /** True while {@code pid} is a live process (a zombie counts as dead). */
    public static boolean isAlive(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            final int close = stat.lastIndexOf(')');
            return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) != 'Z';
        } catch (final IOException e) {
            return false;
        }
    }

    /** The command line of {@code pid} with arguments joined by spaces, or "" when it is gone. */
    public static String commandLine(final long pid) {
        try {
            final byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (final IOException e) {
            return "";
        }
    }

    /** Live descendants of {@code pid} whose command line contains {@code substring}. */
    public static List<Long> descendantsMatching(final long pid, final String substring) {
        return ProcessHandle.of(pid).stream()
                .flatMap(ProcessHandle::descendants)
                .map(ProcessHandle::pid)
                .filter(Processes::isAlive)
                .filter(p -> commandLine(p).contains(substring))
                .toList();
    }

    /** Sends a signal by name ("INT", "TERM", "KILL", ...) with {@code kill}. */
    public static void signal(final long pid, final String name) {
        try {
            final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
