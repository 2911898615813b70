package dev.vigil.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real jar's start-up checks and command line. */
class BadConfigIT {

    private static final Path JAR = Path.of("target", "vigil-bridge.jar").toAbsolutePath();

    @Test
    void start_exits2ListingEveryProblem_withoutSecrets() throws Exception {
        final Path conf = Files.createTempFile("vigil-bad", ".conf");
        Files.writeString(conf, """
                vigil.bridge {
                  mqtt.command-expiry = never
                  default-robot = "no good"
                  database.url = "mysql://db.example.org/vigil"
                  auth.users.eve { password-hash = "Plain-Secret-Pass", role = root }
                }
                """);
        try (ManagedProcess bridge = ManagedProcess.start(List.of(Java.binary(), "-Dconfig.file=" + conf, "-jar", JAR.toString()),
                Map.of("MQTT_PASS", "Env-Secret-Pass", "MQTT_PORT", "not-a-port"), Path.of("target"))) {
            assertEquals(2, bridge.awaitExit(Duration.ofSeconds(20)));
            final String output = String.join("\n", bridge.lines());
            assertTrue(output.contains("mqtt.command-expiry"), output);
            assertTrue(output.contains("mqtt.port"), output);
            assertTrue(output.contains("default-robot: must be a robot id"), output);
            assertTrue(output.contains("database.url: must be a jdbc:postgresql: or jdbc:sqlite: URL"), output);
            assertTrue(output.contains("role must be viewer or operator"), output);
            assertFalse(output.contains("Plain-Secret-Pass"), output);
            assertFalse(output.contains("Env-Secret-Pass"), output);
        }
    }

    @Test
    void start_exits1WithOneLine_whenTheRegistryDatabaseIsOutOfReach() throws Exception {
        final Path conf = Files.createTempFile("vigil-nodb", ".conf");
        Files.writeString(conf, """
                vigil.bridge.database {
                  url = "jdbc:postgresql://127.0.0.1:%d/vigil"
                  user = "vigil"
                  password = "Db-Secret-Pass"
                  connect-timeout = 1s
                }
                """.formatted(dev.vigil.testkit.Ports.free()));
        try (ManagedProcess bridge = ManagedProcess.start(List.of(Java.binary(), "-Dconfig.file=" + conf, "-jar", JAR.toString()),
                Map.of(), Path.of("target"))) {
            assertEquals(1, bridge.awaitExit(Duration.ofSeconds(30)));
            final String output = String.join("\n", bridge.lines());
            assertTrue(output.contains("Cannot start: cannot open the registry database jdbc:postgresql://127.0.0.1:"), output);
            assertFalse(output.contains("Db-Secret-Pass"), output);
            assertFalse(output.contains("\tat "), "no stack trace: " + output);
        }
    }

    @Test
    void help_printsUsage_andHashPasswordPrintsAVerifiableHash() throws Exception {
        try (ManagedProcess help = ManagedProcess.start(List.of(Java.binary(), "-jar", JAR.toString(), "--help"), Map.of(),
                Path.of("target"))) {
            assertEquals(0, help.awaitExit(Duration.ofSeconds(20)));
            assertTrue(help.anyLineContains("hash-password"));
        }
        try (ManagedProcess bad = ManagedProcess.start(List.of(Java.binary(), "-jar", JAR.toString(), "--bogus"), Map.of(),
                Path.of("target"))) {
            assertEquals(2, bad.awaitExit(Duration.ofSeconds(20)));
            assertTrue(bad.anyLineContains("unknown argument"));
        }
        final Process hash = new ProcessBuilder(Java.binary(), "-jar", JAR.toString(), "hash-password", "--password-stdin")
                .redirectErrorStream(true).start();
        hash.getOutputStream().write("s3cret-Pw\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        hash.getOutputStream().close();
        final String printed = new String(hash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertEquals(0, hash.waitFor());
        assertTrue(dev.vigil.bridge.auth.SecretHash.matches("s3cret-Pw", printed), printed);
    }
}
