package io.drawbridge.devstack;

import io.drawbridge.embedded.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prometheus for the dev stack, when the machine has it (Debian's {@code prometheus} package): scrapes the five
 * services with the repository's dev-stack configuration and alerting rules, data in {@code .devstack/prometheus}. It
 * runs as a child process in its own session (Ctrl-C reaches only the dev stack, which stops it in order) with a
 * parent-death signal, so that even a killed dev stack leaves no Prometheus behind. Never installed by the dev stack.
 */
final class DevPrometheus implements AutoCloseable {

    static final String INSTALL_HINT =
            "not installed; for metrics: apt-get install -y prometheus, then restart bin/dev";

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final String CONFIG = "infra/prometheus/prometheus-devstack.yml";
    private static final int DEFAULT_PORT = 9090;

    private final Process process;
    private final int port;
    private final Path logFile;

    private DevPrometheus(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** The {@code prometheus} executable on the PATH, if any. */
    static Optional<Path> binary(Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path candidate = Path.of(dir, "prometheus");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Starts Prometheus on {@code 127.0.0.1:<port>} with the repository's dev-stack configuration, or, when any port
     * was moved, with a copy of it under the state directory that scrapes the ports in use.
     *
     * <p>Call it from a thread that lives as long as the dev stack (the main thread): the parent-death signal fires
     * when the thread that started the process ends.
     */
    static DevPrometheus start(Path binary, DevStackOptions options) throws IOException {
        Path storage = Files.createDirectories(options.stateDir().resolve("prometheus"));
        Path logFile = options.logDir().resolve("prometheus.log");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        if (Files.isExecutable(SETPRIV)) {
            command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "TERM", "--"));
        }
        command.add(binary.toString());
        command.add("--config.file=" + config(options));
        command.add("--storage.tsdb.path=" + storage);
        command.add("--storage.tsdb.retention.time=2d");
        command.add("--web.listen-address=127.0.0.1:" + options.prometheusPort());
        command.add("--web.enable-lifecycle");
        Process process = new ProcessBuilder(command)
                .directory(options.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        return new DevPrometheus(process, options.prometheusPort(), logFile);
    }

    /**
     * The configuration file: the repository's own when every port is the default, else a copy with the ports in use
     * and the rules' absolute location.
     */
    static Path config(DevStackOptions options) throws IOException {
        Path original = options.root().resolve(CONFIG);
        boolean defaults = options.prometheusPort() == DEFAULT_PORT
                && options.allServices().stream()
                        .allMatch(service -> DevStackOptions.SERVICE_PORTS.get(service.name()) == service.port());
        if (defaults) {
            return original;
        }
        // Without the original's leading comment, which names the default ports.
        String text = Files.readString(original, StandardCharsets.UTF_8).replaceFirst("\\A(#[^\\n]*\\n)+", "");
        for (StackService service : options.allServices()) {
            text = text.replace(
                    "localhost:" + DevStackOptions.SERVICE_PORTS.get(service.name()), "localhost:" + service.port());
        }
        text = text.replace("localhost:" + DEFAULT_PORT, "localhost:" + options.prometheusPort())
                .replace("- rules/", "- " + original.getParent().resolve("rules") + "/");
        Path generated = options.stateDir().resolve("prometheus.yml");
        Files.writeString(
                generated,
                "# Generated by bin/dev from " + CONFIG + " for the ports in use; rewritten on every start.\n" + text,
                StandardCharsets.UTF_8);
        return generated;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@code /-/ready} answers 200 within {@code timeout}. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive()) {
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
        return false;
    }

    @Override
    public void close() {
        ChildJvm.stop(process, Duration.ofSeconds(10));
    }
}
