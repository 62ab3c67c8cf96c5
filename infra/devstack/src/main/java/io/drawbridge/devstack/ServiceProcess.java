package io.drawbridge.devstack;

import io.drawbridge.embedded.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A service running from its own jar (a private copy, see {@link JarCopy}) in its own JVM, as in production, with its output prefixed on the console and
 * copied to {@code .devstack/logs/<service>.log} (the system tests keep the log file only). The process exits by itself if the dev stack dies (see
 * {@link ChildJvm}), so a killed dev stack leaves no service holding its port.
 */
final class ServiceProcess {

    private static final int KEPT_LINES = 40;

    private final StackService service;
    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread pump;

    private ServiceProcess(StackService service, Process process, Path logFile, PrintStream console, int width)
            throws IOException {
        this.service = service;
        this.process = process;
        String prefix = String.format("%-" + width + "s ", "[" + service.name() + "]");
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        this.pump = new Thread(() -> copyOutput(prefix, log, console), service.name() + "-log");
        pump.setDaemon(true);
        pump.start();
    }

    static ServiceProcess start(
            StackService service,
            Map<String, String> environment,
            List<String> jvmOptions,
            Path scratchDir,
            Path logFile,
            PrintStream console,
            int prefixWidth)
            throws IOException {
        ProcessBuilder builder = ChildJvm.builder(
                        scratchDir, jvmOptions, List.of(service.jar()), JarCopy.SPRING_BOOT_LAUNCHER, List.of())
                .directory(scratchDir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new ServiceProcess(service, builder.start(), logFile, console, prefixWidth);
    }

    StackService service() {
        return service;
    }

    Process process() {
        return process;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@code /actuator/health/readiness} answers UP, the signal Kubernetes would route traffic on. */
    boolean isReady(HttpClient http) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(service.url() + "/actuator/health/readiness"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines the service printed, for the report when it dies during startup. */
    List<String> lastLines() {
        awaitOutput();
        synchronized (lastLines) {
            return List.copyOf(lastLines);
        }
    }

    /** SIGTERM (Spring Boot shuts down gracefully), then SIGKILL after {@code grace}. */
    void stop(Duration grace) {
        ChildJvm.stop(process, grace);
        awaitOutput();
    }

    private void awaitOutput() {
        if (!process.isAlive()) {
            try {
                pump.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void copyOutput(String prefix, Writer log, PrintStream console) {
        try (log;
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (console != null) {
                    console.println(prefix + line);
                }
                log.write(line);
                log.write('\n');
                log.flush();
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
            }
        } catch (IOException e) {
            if (console != null) {
                console.println(prefix + "(log copy stopped: " + e.getMessage() + ")");
            }
        }
    }
}
