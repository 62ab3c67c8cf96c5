package io.drawbridge.devstack;

import io.drawbridge.embedded.EmbeddedInfrastructure;
import io.drawbridge.embedded.InfrastructureEndpoints;
import io.drawbridge.embedded.InfrastructureSettings;
import io.drawbridge.embedded.LoopbackPorts;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The README's first command ({@code bin/dev}): real Kafka, PostgreSQL and S3 on loopback with data kept in
 * {@code .devstack/}, the event topics, the five services from their own jars, demo data, and a banner with every URL
 * and credential. Ctrl-C or SIGTERM stops the services first (so they shut down gracefully while Kafka and the database
 * are still there), then the infrastructure; nothing is left running.
 */
public final class DevStack {

    private static final PrintStream console = System.out;
    private static final List<String> SERVICE_JVM_OPTIONS = List.of(
            "-Xms64m",
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-XX:ReservedCodeCacheSize=64m",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dfile.encoding=UTF-8");
    private static final Duration READY_POLL = Duration.ofMillis(500);

    /** A ready service finishes its requests and closes its connections on SIGTERM; give it time for that. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(25);

    /** A service still starting has nothing to finish, and Spring only acts on SIGTERM once its refresh is over. */
    private static final Duration STARTUP_STOP_GRACE = Duration.ofSeconds(5);

    private final DevStackOptions options;
    private final long startedAt = System.nanoTime();
    private final Object lifecycle = new Object();
    private final List<ServiceProcess> services = new ArrayList<>();
    private boolean stopping;
    private boolean allReady;
    private StackLock lock;
    private EmbeddedInfrastructure infrastructure;

    private DevStack(DevStackOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            console.print(DevStackOptions.USAGE);
            return;
        }
        DevStackOptions options;
        try {
            options = DevStackOptions.parse(args, System.getenv(), Path.of(""));
        } catch (IllegalArgumentException e) {
            System.err.println("dev stack: " + e.getMessage());
            System.err.print(DevStackOptions.USAGE);
            System.exit(2);
            return;
        }
        new DevStack(options).run();
    }

    private void run() throws Exception {
        Path lockFile = options.stateDir().resolve("devstack.lock");
        StringBuilder holder = new StringBuilder();
        Optional<StackLock> acquired = StackLock.tryAcquire(lockFile, holder);
        if (acquired.isEmpty()) {
            exit(
                    2,
                    "A dev stack is already running in " + options.root() + " (pid " + holder
                            + "). Stop it with Ctrl-C in its terminal or `kill " + holder + "`.");
        }
        lock = acquired.get();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "devstack-shutdown"));

        if (options.fresh()) {
            wipeState(lockFile);
            say("--fresh: deleted " + relative(options.stateDir()) + "/ (data, logs, secrets)");
        }
        EmbeddedInfrastructure.stopLeftovers(options.dataDir());
        checkPorts();
        if (!options.infraOnly()) {
            checkJars();
        }
        Files.createDirectories(options.logDir());
        DevSecrets secrets = DevSecrets.loadOrCreate(options.stateDir().resolve("secrets"));
        boolean freshData = !Files.exists(options.dataDir());

        say("Starting Kafka (" + options.kafkaPort() + "), PostgreSQL (" + options.dbPort() + ") and S3 ("
                + options.s3Port() + ") with data in " + relative(options.dataDir()) + " ...");
        EmbeddedInfrastructure started = EmbeddedInfrastructure.start(InfrastructureSettings.ephemeral()
                .withPorts(options.kafkaPort(), options.dbPort(), options.s3Port())
                .withDataDir(options.dataDir())
                .withDbPassword(secrets.get(DevSecrets.DB_PASSWORD)));
        synchronized (lifecycle) {
            if (stopping) {
                return; // Ctrl-C during startup: the infrastructure's own shutdown hook stops it.
            }
            // From here on this class's hook stops it, after the services.
            infrastructure = started.withoutShutdownHook();
        }
        InfrastructureEndpoints endpoints = started.endpoints();
        say("Infrastructure ready in " + seconds(started.startupTime()));
        List<String> created = StackTopics.create(endpoints.kafkaBootstrapServers());
        say(
                created.isEmpty()
                        ? "Topics already exist (" + StackTopics.wanted().size() + ")"
                        : "Created " + created.size() + " topics: " + String.join(", ", created));

        List<String> demoLines = List.of();
        if (!options.infraOnly()) {
            startServices(endpoints, secrets);
            awaitReady();
            demoLines = seedDemoData(endpoints, secrets, freshData);
        }
        writeEnvFile(endpoints, secrets);
        printBanner(endpoints, secrets, demoLines);
        watchServices();
        new CountDownLatch(1).await();
    }

    private void startServices(InfrastructureEndpoints endpoints, DevSecrets secrets) throws IOException {
        int width = options.services().stream()
                        .mapToInt(service -> service.name().length())
                        .max()
                        .orElse(0)
                + 2;
        List<String> jvmOptions = new ArrayList<>(SERVICE_JVM_OPTIONS);
        jvmOptions.addAll(options.extraJvmOptions());
        for (StackService service : options.services()) {
            Map<String, String> environment = new LinkedHashMap<>(endpoints.environment());
            environment.putAll(secrets.serviceSecrets());
            environment.putAll(serviceUrls());
            environment.put("SERVER_PORT", Integer.toString(service.port()));
            environment.put("LOG_FORMAT", "text");
            synchronized (lifecycle) {
                if (stopping) {
                    return;
                }
                services.add(ServiceProcess.start(
                        service,
                        environment,
                        jvmOptions,
                        options.stateDir(),
                        options.logDir().resolve(service.name() + ".log"),
                        console,
                        width));
            }
        }
        say("Started " + options.services().size() + " services; waiting for /actuator/health/readiness ...");
    }

    /** Polls every service's readiness; a service that exits or never gets ready ends the run (after cleanup). */
    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        Set<String> ready = new LinkedHashSet<>();
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        while (ready.size() < services.size()) {
            for (ServiceProcess service : services) {
                String name = service.service().name();
                if (ready.contains(name)) {
                    continue;
                }
                if (!service.isAlive()) {
                    failStartup(service, "exited with code " + service.process().exitValue() + " during startup");
                }
                if (service.isReady(http)) {
                    ready.add(name);
                    say(name + " ready on " + service.service().url() + " after "
                            + seconds(Duration.ofNanos(System.nanoTime() - startedAt)));
                }
            }
            if (ready.size() < services.size() && System.nanoTime() > deadline) {
                ServiceProcess late = services.stream()
                        .filter(service -> !ready.contains(service.service().name()))
                        .findFirst()
                        .orElseThrow();
                failStartup(
                        late, "was not ready within " + options.readyTimeout().toSeconds() + " s");
            }
            Thread.sleep(READY_POLL.toMillis());
        }
        synchronized (lifecycle) {
            allReady = true;
        }
    }

    private List<String> seedDemoData(InfrastructureEndpoints endpoints, DevSecrets secrets, boolean freshData) {
        List<String> lines = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        DemoContext context = new DemoContext(
                Map.copyOf(
                        options.services().stream().collect(Collectors.toMap(StackService::name, StackService::url))),
                secrets.get(DevSecrets.ADMIN_TOKEN),
                secrets.get(DevSecrets.SERVICE_TOKEN),
                endpoints,
                http,
                freshData);
        for (DemoSeeder seeder : DemoData.seeders()) {
            try {
                lines.addAll(seeder.seed(context));
                say("Demo data: " + seeder.name() + " done");
            } catch (Exception e) {
                say("Demo data: " + seeder.name() + " FAILED (the stack keeps running): " + e);
            }
        }
        return lines;
    }

    /** After startup a dying service is reported; the rest of the stack keeps running. */
    private void watchServices() {
        for (ServiceProcess service : services) {
            service.process().onExit().thenRun(() -> {
                synchronized (lifecycle) {
                    if (stopping) {
                        return;
                    }
                }
                say(service.service().name() + " exited with code "
                        + service.process().exitValue()
                        + "; the rest keeps running (log: "
                        + relative(options.logDir().resolve(service.service().name() + ".log")) + ")");
            });
        }
    }

    /** Shutdown hook: services first, in parallel, then the infrastructure, then the lock. */
    private void stop() {
        long stopStarted = System.nanoTime();
        List<ServiceProcess> running;
        EmbeddedInfrastructure infra;
        Duration grace;
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            stopping = true;
            running = List.copyOf(services);
            infra = infrastructure;
            grace = allReady ? STOP_GRACE : STARTUP_STOP_GRACE;
        }
        boolean anythingStarted = infra != null || !running.isEmpty();
        if (anythingStarted) {
            say("Stopping ...");
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
        if (infra != null) {
            infra.close();
        }
        try {
            lock.close();
        } catch (IOException e) {
            // The lock dies with the process anyway.
        }
        if (anythingStarted) {
            say("Stopped in " + seconds(Duration.ofNanos(System.nanoTime() - stopStarted)));
        }
    }

    private void failStartup(ServiceProcess service, String what) {
        String name = service.service().name();
        StringBuilder report = new StringBuilder(name + " " + what + ". Its last log lines:\n");
        service.lastLines().forEach(line -> report.append("    ").append(line).append('\n'));
        report.append("Full log: ").append(relative(options.logDir().resolve(name + ".log")));
        exit(1, report.toString());
    }

    private void checkPorts() {
        Map<Integer, String> wanted = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("kafka", options.kafkaPort());
        ports.put("db", options.dbPort());
        ports.put("s3", options.s3Port());
        if (!options.infraOnly()) {
            options.services().forEach(service -> ports.put(service.name(), service.port()));
        }
        ports.forEach((name, port) -> {
            String previous = wanted.put(port, name);
            if (previous != null) {
                problems.add("port " + port + " is configured for both " + previous + " and " + name);
            } else if (!LoopbackPorts.isFree(port)) {
                problems.add("port " + port + " (" + name + ") is already in use: stop what listens there (ss -ltnp"
                        + " 'sport = :" + port + "') or move it with --" + name + "-port=N");
            }
        });
        if (!problems.isEmpty()) {
            exit(2, "Cannot start the dev stack:\n  " + String.join("\n  ", problems));
        }
    }

    private void checkJars() {
        List<String> missing = options.services().stream()
                .filter(service -> !Files.isRegularFile(service.jar()))
                .map(service -> relative(service.jar()))
                .toList();
        if (!missing.isEmpty()) {
            exit(
                    2,
                    "Missing service jars: " + String.join(", ", missing)
                            + "\nBuild them with: ./mvnw -B -q -DskipTests install (bin/dev does this for you)");
        }
    }

    private Map<String, String> serviceUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("DRAWBRIDGE_PUBLIC_URL", options.service("download-gateway").url());
        options.allServices().forEach(service -> urls.put("DRAWBRIDGE_" + service.envName() + "_URL", service.url()));
        return urls;
    }

    /** {@code .devstack/env}: {@code source} it to talk to the stack or to run a service from an IDE against it. */
    private void writeEnvFile(InfrastructureEndpoints endpoints, DevSecrets secrets) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>(serviceUrls());
        variables.putAll(secrets.serviceSecrets());
        variables.putAll(endpoints.environment());
        StringBuilder content = new StringBuilder("# Written by the Drawbridge dev stack (bin/dev). Usage: source "
                + relative(options.stateDir().resolve("env")) + "\n");
        variables.forEach((name, value) -> content.append("export ")
                .append(name)
                .append("='")
                .append(value.replace("'", "'\\''"))
                .append("'\n"));
        Path file = options.stateDir().resolve("env");
        Path temp = Files.createTempFile(
                options.stateDir(),
                "env",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void printBanner(InfrastructureEndpoints endpoints, DevSecrets secrets, List<String> demoLines) {
        String rule = "=".repeat(78);
        StringBuilder banner = new StringBuilder("\n").append(rule).append('\n');
        banner.append("  Drawbridge dev stack is up: ")
                .append(options.infraOnly() ? "infrastructure only" : "all services ready")
                .append(" in ")
                .append(seconds(Duration.ofNanos(System.nanoTime() - startedAt)))
                .append(" (infrastructure ")
                .append(seconds(infrastructure.startupTime()))
                .append(")\n\n");
        if (options.infraOnly()) {
            banner.append("  Services            not started (--infra-only); source .devstack/env and run them\n");
        } else {
            for (StackService service : options.allServices()) {
                boolean started = options.services().contains(service);
                banner.append(
                        String.format("  %-19s %s%s%n", service.name(), service.url(), started ? "" : "   (skipped)"));
            }
            banner.append("  (each: /actuator/health/readiness, /actuator/prometheus)\n");
        }
        banner.append('\n');
        line(banner, "Admin token", secrets.get(DevSecrets.ADMIN_TOKEN) + "   (Authorization: Bearer ...)");
        line(banner, "Kafka", endpoints.kafkaBootstrapServers());
        line(
                banner,
                "PostgreSQL",
                "postgresql://" + endpoints.dbUser() + ":" + endpoints.dbPassword() + "@" + endpoints.dbHost() + ":"
                        + endpoints.dbPort() + "/" + endpoints.dbName() + "   (schemas token, file, orders, audit)");
        line(
                banner,
                "S3",
                endpoints.s3Endpoint() + "   bucket " + endpoints.s3Bucket() + ", key " + endpoints.s3AccessKey()
                        + " / " + endpoints.s3SecretKey() + ", path-style, us-east-1");
        banner.append('\n');
        line(banner, "Environment", "source " + relative(options.stateDir().resolve("env")));
        line(banner, "Logs", relative(options.logDir()) + "/<service>.log");
        line(banner, "Data", relative(options.dataDir()) + "   (bin/dev --fresh starts over)");
        if (!demoLines.isEmpty()) {
            banner.append('\n');
            demoLines.forEach(demo -> banner.append("  ").append(demo).append('\n'));
        }
        banner.append("\n  Ctrl-C stops everything.\n").append(rule).append('\n');
        console.print(banner);
    }

    private static void line(StringBuilder banner, String label, String value) {
        banner.append(String.format("  %-19s %s%n", label, value));
    }

    /** Deletes {@code .devstack/} except the lock this run holds. */
    private void wipeState(Path lockFile) throws IOException {
        try (Stream<Path> paths = Files.walk(options.stateDir())) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(lockFile) && !path.equals(options.stateDir())) {
                    Files.delete(path);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private String relative(Path path) {
        return options.root().relativize(path.toAbsolutePath()).toString();
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    private static void say(String message) {
        console.println("[devstack] " + message);
    }

    /** Reports and exits; the shutdown hook stops whatever already runs. */
    private static void exit(int code, String message) {
        System.err.println("[devstack] " + message);
        System.exit(code);
    }
}
