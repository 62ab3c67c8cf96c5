package io.drawbridge.devstack;

import io.drawbridge.embedded.InfrastructureEndpoints;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The services of one stack, each from its own jar in its own JVM: started one by one, awaited ready together, stopped
 * together. Shared by {@code bin/dev} ({@link DevStack}) and the system tests ({@link Stack}), so that both run the
 * services exactly the same way, with the same environment.
 */
final class ServiceFleet {

    private static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";

    /** Small heaps and a quick JIT: five services and the infrastructure share a laptop (or 2 CI cores). */
    static final List<String> JVM_OPTIONS = List.of(
            "-Xms64m",
            "-Xmx384m",
            "-XX:+UseSerialGC",
            QUICK_JIT,
            "-Xss512k",
            "-XX:ReservedCodeCacheSize=64m",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dfile.encoding=UTF-8");

    /**
     * Services that keep the full JIT: file-service hashes every uploaded byte (SHA-256, CRC-32), and the intrinsics
     * that make that fast come only with C2 (C1 alone hashes about ten times slower).
     */
    private static final Set<String> FULL_JIT = Set.of("file-service");

    private static final Duration READY_POLL = Duration.ofMillis(500);

    private final Path scratchDir;
    private final Path logDir;
    private final PrintStream console;
    private final List<String> jvmOptions;
    private final int prefixWidth;
    private final Object lifecycle = new Object();
    private final List<ServiceProcess> processes = new ArrayList<>();
    private boolean stopped;

    /**
     * @param scratchDir the child JVMs' working directory, where their helper files go
     * @param logDir each service logs to {@code <logDir>/<service>.log}
     * @param console where service output is also copied, prefixed; null for the log files only
     */
    ServiceFleet(Path scratchDir, Path logDir, PrintStream console, List<String> jvmOptions, List<StackService> all) {
        this.scratchDir = scratchDir;
        this.logDir = logDir;
        this.console = console;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.prefixWidth = all.stream().mapToInt(s -> s.name().length()).max().orElse(0) + 2;
    }

    /**
     * The environment of one service process: the infrastructure, the secrets, where every other service and the SMTP
     * server are, and its own port.
     */
    static Map<String, String> environment(
            StackService service,
            InfrastructureEndpoints infrastructure,
            Map<String, String> secrets,
            Map<String, String> serviceUrls,
            DevMail mail) {
        Map<String, String> environment = new LinkedHashMap<>(infrastructure.environment());
        environment.putAll(secrets);
        environment.putAll(serviceUrls);
        if (mail != null) {
            environment.putAll(smtpEnvironment(mail));
        }
        environment.put("SERVER_PORT", Integer.toString(service.port()));
        environment.put("LOG_FORMAT", "text");
        // No clamd in the dev stack: file-service would refuse to start (it fails closed) unless told so.
        environment.put("DRAWBRIDGE_FILE_SERVE_UNSCANNED", "true");
        // Sellers' webhook receivers on a developer's machine are plain http on 127.0.0.1, which production refuses.
        environment.put("DRAWBRIDGE_CONSOLE_WEBHOOKS_ALLOW_HTTP", "true");
        environment.put("DRAWBRIDGE_CONSOLE_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true");
        return environment;
    }

    /** {@code DRAWBRIDGE_PUBLIC_URL} (the gateway) and {@code DRAWBRIDGE_<SERVICE>_URL} of every service. */
    static Map<String, String> serviceUrls(List<StackService> all) {
        Map<String, String> urls = new LinkedHashMap<>();
        all.stream()
                .filter(service -> service.name().equals("download-gateway"))
                .forEach(gateway -> urls.put("DRAWBRIDGE_PUBLIC_URL", gateway.url()));
        all.forEach(service -> urls.put("DRAWBRIDGE_" + service.envName() + "_URL", service.url()));
        // The console owns the API keys; every service asks it about the keys it is shown.
        all.stream()
                .filter(service -> service.name().equals("console"))
                .forEach(console -> urls.put("DRAWBRIDGE_API_KEYS_URL", console.url()));
        return urls;
    }

    static Map<String, String> smtpEnvironment(DevMail mail) {
        Map<String, String> smtp = new LinkedHashMap<>();
        smtp.put("DRAWBRIDGE_SMTP_HOST", mail.host());
        smtp.put("DRAWBRIDGE_SMTP_PORT", Integer.toString(mail.smtpPort()));
        return smtp;
    }

    /**
     * Starts one service.
     *
     * @return false when the fleet was stopped meanwhile (nothing started)
     */
    boolean start(StackService service, Map<String, String> environment) throws IOException {
        synchronized (lifecycle) {
            if (stopped) {
                return false;
            }
            processes.add(ServiceProcess.start(
                    service,
                    environment,
                    jvmOptionsFor(service),
                    scratchDir,
                    logDir.resolve(service.name() + ".log"),
                    console,
                    prefixWidth));
            return true;
        }
    }

    List<String> jvmOptionsFor(StackService service) {
        return FULL_JIT.contains(service.name())
                ? jvmOptions.stream()
                        .filter(option -> !option.equals(QUICK_JIT))
                        .toList()
                : jvmOptions;
    }

    List<ServiceProcess> processes() {
        synchronized (lifecycle) {
            return List.copyOf(processes);
        }
    }

    /**
     * Polls every service's readiness until all are ready.
     *
     * @param onReady told of each service as it gets ready
     * @throws StartupFailure when a service exits or is not ready in time (the caller stops the fleet)
     */
    void awaitReady(Duration timeout, Consumer<ServiceProcess> onReady) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        List<ServiceProcess> services = processes();
        Set<String> ready = new LinkedHashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ready.size() < services.size()) {
            for (ServiceProcess service : services) {
                String name = service.service().name();
                if (ready.contains(name)) {
                    continue;
                }
                if (!service.isAlive()) {
                    throw new StartupFailure(
                            service, "exited with code " + service.process().exitValue() + " during startup");
                }
                if (service.isReady(http)) {
                    ready.add(name);
                    onReady.accept(service);
                }
            }
            if (ready.size() < services.size() && System.nanoTime() > deadline) {
                ServiceProcess late = services.stream()
                        .filter(service -> !ready.contains(service.service().name()))
                        .findFirst()
                        .orElseThrow();
                throw new StartupFailure(late, "was not ready within " + timeout.toSeconds() + " s");
            }
            if (ready.size() < services.size()) {
                Thread.sleep(READY_POLL.toMillis());
            }
        }
    }

    /** Stops every service in parallel (SIGTERM, then SIGKILL after {@code grace}); no new one starts after this. */
    void stop(Duration grace) {
        List<ServiceProcess> running;
        synchronized (lifecycle) {
            stopped = true;
            running = List.copyOf(processes);
        }
        List<Thread> stoppers = new ArrayList<>();
        for (ServiceProcess service : running) {
            Thread stopper = new Thread(
                    () -> service.stop(grace), "stop-" + service.service().name());
            stopper.start();
            stoppers.add(stopper);
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A service that died or never got ready during startup, with its last log lines. */
    static final class StartupFailure extends RuntimeException {

        private final transient ServiceProcess service;

        StartupFailure(ServiceProcess service, String what) {
            super(service.service().name() + " " + what);
            this.service = service;
        }

        ServiceProcess service() {
            return service;
        }

        /** The message plus the service's last log lines. */
        String report(String logFile) {
            StringBuilder report = new StringBuilder(getMessage()).append(". Its last log lines:\n");
            service.lastLines()
                    .forEach(line -> report.append("    ").append(line).append('\n'));
            return report.append("Full log: ").append(logFile).toString();
        }
    }
}
