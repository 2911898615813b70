package dev.vigil.bridge.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto on a free loopback port with one password user, for the bridge's ITs until
 * they move to the testkit's {@code Mosquitto}. {@link #stop()} kills it and keeps the port,
 * {@link #restart()} brings it back on the same port.
 */
final class LocalBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    private LocalBroker(final Path dir, final int port) {
        this.dir = dir;
        this.port = port;
    }

    static LocalBroker start(final String user, final String password) throws IOException, InterruptedException {
        final Path dir = Files.createTempDirectory("vigil-bridge-mosquitto");
        final Path passwords = dir.resolve("passwd");
        final Process passwd = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), user, password)
                .redirectErrorStream(true).start();
        if (!passwd.waitFor(10, TimeUnit.SECONDS) || passwd.exitValue() != 0) {
            throw new IOException("mosquitto_passwd failed");
        }
        final int port = freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", List.of(
                "listener " + port + " 127.0.0.1", "allow_anonymous false", "password_file " + passwords,
                "persistence false", "user " + System.getProperty("user.name"), "")));
        final LocalBroker broker = new LocalBroker(dir, port);
        broker.launch();
        return broker;
    }

    int port() {
        return port;
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
            process.destroyForcibly();
            process = null;
        }
    }

    void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        final Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (final IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not listen on " + port + ": " + Files.readString(dir.resolve("mosquitto.log")));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
