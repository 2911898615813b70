package dev.vigil.bridge.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real bridge jar, run with {@code java -jar} on a free port; its output is kept line by line. */
final class BridgeProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path config;
    private final Map<String, String> env;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private BridgeProcess(final Process process, final int port, final Path config, final Map<String, String> env) {
        this.process = process;
        this.port = port;
        this.config = config;
        this.env = Map.copyOf(env);
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (final IOException e) {
                lines.add("(output closed: " + e.getMessage() + ")");
            }
        }, "bridge-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the jar with {@code conf} as its config file and {@code env} on top of the environment. */
    static BridgeProcess start(final String conf, final Map<String, String> env) throws IOException, InterruptedException {
        return start(conf, env, dev.vigil.testkit.Ports.free());
    }

    /** As {@link #start(String, Map)}, on {@code port} (chosen before, e.g. for a relay's auth address). */
    static BridgeProcess start(final String conf, final Map<String, String> env, final int port)
            throws IOException, InterruptedException {
        final Path file = Files.createTempFile("vigil-bridge", ".conf");
        Files.writeString(file, conf);
        return start(file, env, port);
    }

    /** As {@link #start(String, Map, int)}, with the config file {@code file} (shared by several bridges). */
    static BridgeProcess start(final Path file, final Map<String, String> env, final int port)
            throws IOException, InterruptedException {
        final Path jar = jar();
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Its own working folder: a relative database.sqlite-file never lands in the source tree.
        final ProcessBuilder builder = new ProcessBuilder(java, "-Dconfig.file=" + file, "-jar", jar.toString())
                .directory(Files.createTempDirectory("vigil-bridge-run").toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("BRIDGE_HOST", "127.0.0.1");
        builder.environment().put("BRIDGE_PORT", Integer.toString(port));
        final BridgeProcess bridge = new BridgeProcess(builder.start(), port, file, env);
        final Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (bridge.anyLineContains("listening on http")) {
                return bridge;
            }
            if (!bridge.process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        bridge.close();
        throw new IllegalStateException("the bridge did not start:\n" + String.join("\n", bridge.lines()));
    }

    private static Path jar() {
        final Path jar = Path.of("target", "vigil-bridge.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("run after package: " + jar + " is missing");
        }
        return jar;
    }

    /**
     * What a command of the jar printed and how it exited.
     *
     * @param exit its exit status
     * @param out  its stdout
     * @param err  its stderr
     */
    record CliRun(int exit, String out, String err) {
    }

    /** Runs {@code vigil-bridge <args>} with this bridge's config file and environment, {@code stdin} as its input. */
    CliRun cli(final String stdin, final String... args) throws IOException, InterruptedException {
        final List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dconfig.file=" + config, "-jar", jar().toString()));
        argv.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(argv).directory(Files.createTempDirectory("vigil-cli").toFile());
        builder.environment().putAll(env);
        final Path out = Files.createTempFile("vigil-cli", ".out");
        final Path err = Files.createTempFile("vigil-cli", ".err");
        final Process cli = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var in = cli.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!cli.waitFor(60, TimeUnit.SECONDS)) {
            cli.destroyForcibly();
            throw new IllegalStateException("vigil-bridge " + String.join(" ", args) + " did not finish");
        }
        return new CliRun(cli.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The config file it runs with. */
    Path configFile() {
        return config;
    }

    /** Kills it at once (SIGKILL): no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    int port() {
        return port;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    boolean anyLineContains(final String text) {
        return lines().stream().anyMatch(l -> l.contains(text));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    HttpResponse<String> send(final String method, final String path, final String auth, final String body)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
