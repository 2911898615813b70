package dev.vigil.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.vigil.bridge.auth.SecretHash;
import dev.vigil.bridge.config.BridgeSettings;
import dev.vigil.bridge.config.SettingsLoader;
import dev.vigil.testkit.Java;
import dev.vigil.testkit.ManagedProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ansible role's {@code bridge.conf}, rendered by Ansible's own template module from the role's
 * template and defaults (plus the variables the playbook sets), loads under the bridge's config check,
 * which holds the file to reference.conf: its {@code robots = null} drops the reference's example
 * robot, and the role's robots, users and tokens are what the bridge serves.
 */
class RoleBridgeConfIT {

    private static final Path ROLE = Java.repoRoot().resolve("ansible/roles/bridge");
    private static final Path JAR = Path.of("target", "vigil-bridge.jar").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void roleTemplate_rendersABridgeConf_thatTheJarLoads_withOnlyTheRolesRobots() throws Exception {
        final Path conf = render("""
                {"bridge_robots": ["robot-1", "robot-2"],
                 "bridge_robot_publish_secrets": {"robot-1": "publish-secret-one-0123456789", "robot-2": "publish-secret-two-0123456789"},
                 "bridge_mqtt_password": "mqtt-bridge-pass-0123",
                 "bridge_users": {"alice": {"password_hash": "%s", "role": "operator"}},
                 "bridge_tokens": {"mediamtx-hook": {"token": "hook-token-0123456789", "role": "viewer", "max_views": 100}},
                 "bridge_relay_api_url": "http://127.0.0.1:9997", "bridge_relay_api_password": "relay-api-pass-0123",
                 "bridge_recording": true, "bridge_trusted_proxies": ["10.0.0.0/8", "::1"]}
                """.formatted(SecretHash.pbkdf2("alice-pass".toCharArray(), 1000)));

        final BridgeSettings settings = SettingsLoader.from(ConfigFactory.parseFile(conf.toFile()));
        assertEquals(Set.of("robot-1", "robot-2"), settings.robots().keySet());
        assertEquals("robot-1", settings.defaultRobotId());
        assertEquals("robots/robot-2/stream", settings.robot("robot-2").orElseThrow().baseTopic());
        assertEquals("live/robot-2", settings.robot("robot-2").orElseThrow().relayPath());
        assertEquals("operator", settings.auth().users().get("alice").role());
        assertEquals(100, settings.auth().tokens().get("mediamtx-hook").maxViews());
        assertTrue(settings.relayApi().enabled());
        assertTrue(settings.recording().enabled(), "recording on request, as group_vars/cloud.yml turns it on with the API");
        assertEquals("http://127.0.0.1:9996", settings.recording().relayPlayback());
        assertEquals("/var/lib/mediamtx", settings.recording().diskPath());
        assertEquals(List.of("10.0.0.0/8", "::1"), settings.server().trustedProxies());

        // The jar as the unit runs it (-Dconfig.file): its CLI loads the same file and lists the role's robots.
        try (ManagedProcess cli = ManagedProcess.start(List.of(Java.binary(), "-Dconfig.file=" + conf, "-jar", JAR.toString(),
                "robot", "list"), Map.of(), tmp)) {
            assertEquals(0, cli.awaitExit(Duration.ofSeconds(60)), String.join("\n", cli.lines()));
            final String output = String.join("\n", cli.lines());
            assertTrue(output.contains("robot-1") && output.contains("robot-2"), output);
            assertFalse(output.contains("robot/stream"), "the reference's example robot is still there: " + output);
        }
    }

    /** Renders the role's template with its defaults and {@code varsJson} through Ansible's template module. */
    private Path render(final String varsJson) throws Exception {
        final Path vars = Files.writeString(tmp.resolve("vars.json"), varsJson);
        final Path conf = tmp.resolve("bridge.conf");
        final ProcessBuilder ansible = new ProcessBuilder("ansible", "localhost", "-i", "localhost,", "-c", "local",
                "-m", "ansible.builtin.template",
                "-a", "src=" + ROLE.resolve("templates/bridge.conf.j2") + " dest=" + conf + " mode=0600",
                "-e", "@" + ROLE.resolve("defaults/main.yml"), "-e", "@" + vars)
                .directory(tmp.toFile()).redirectErrorStream(true);
        ansible.environment().put("ANSIBLE_LOCAL_TEMP", tmp.resolve("ansible-local").toString());
        ansible.environment().put("ANSIBLE_REMOTE_TMP", tmp.resolve("ansible-remote").toString());
        ansible.environment().put("ANSIBLE_NOCOLOR", "1");
        final Process process = ansible.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "ansible did not finish");
        assertEquals(0, process.exitValue(), "ansible could not render the role's template: " + output);
        return conf;
    }
}
