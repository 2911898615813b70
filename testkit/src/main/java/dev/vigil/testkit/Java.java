package dev.vigil.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The running JVM and the repository around the tests. */
public final class Java {

    private Java() {
    }

    /** The {@code java} binary of the JVM that runs the tests. */
    public static String binary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The repository root: the nearest folder upwards with {@code pipelines/} and a {@code pom.xml}. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("pipelines")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root (a folder with pipelines/ and pom.xml) above "
                + Path.of("").toAbsolutePath());
    }

    /** Where testkit writes the logs of the processes it starts: {@code target/testkit-logs} of the module under test. */
    public static Path logDir() {
        final Path dir = Path.of("target", "testkit-logs").toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }
}
