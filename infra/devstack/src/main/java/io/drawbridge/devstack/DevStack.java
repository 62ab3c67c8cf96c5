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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** infra/embedded's S3Proxy reads its jar's location from this property (surefire sets it in tests). */
    private static final String S3PROXY_JAR_PROPERTY = "drawbridge.s3proxy.jar";

    /** Where infra/embedded's build copies S3Proxy's self-contained jar. */
    private static final Path S3PROXY_BUILT_JAR = Path.of("infra", "embedded", "target", "s3proxy", "s3proxy.jar");

    /** A ready service finishes its requests and closes its connections on SIGTERM; give it time for that. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(25);

    /** A service still starting has nothing to finish, and Spring only acts on SIGTERM once its refresh is over. */
    private static final Duration STARTUP_STOP_GRACE = Duration.ofSeconds(5);

    private final DevStackOptions options;
    private final long startedAt = System.nanoTime();
    private final Object lifecycle = new Object();
    private boolean stopping;
    private boolean allReady;
    private StackLock lock;
    private EmbeddedInfrastructure infrastructure;
    private DevMail mail;
    private ServiceFleet fleet;
    private DevPrometheus prometheus;
    private DevAntistock antistock;
    private String prometheusStatus = DevPrometheus.INSTALL_HINT;

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
        List<StackService> services = copyJars();
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

        DevMail startedMail = DevMail.start(
                options.smtpPort(),
                options.imapPort(),
                options.mailDir(),
                received -> console.println(mailNotice(received)));
        synchronized (lifecycle) {
            mail = startedMail;
            if (stopping) {
                return;
            }
        }
        say("SMTP on " + startedMail.host() + ":" + startedMail.smtpPort() + " (IMAP " + startedMail.imapPort()
                + "), messages kept in " + relative(options.mailDir()));
        startPrometheus();
        DevAntistock startedAntistock = DevAntistock.start(
                options.antistockPort(), secrets.get(DevSecrets.ANTISTOCK_API_TOKEN), Clock.systemUTC());
        synchronized (lifecycle) {
            antistock = startedAntistock;
            if (stopping) {
                return;
            }
        }
        say("Antistock sandbox on " + startedAntistock.url() + " (bin/antistock-order makes and refunds orders)");

        Map<String, String> demoExports = new LinkedHashMap<>();
        List<String> demoLines = List.of();
        if (!options.infraOnly()) {
            startServices(services, endpoints, secrets);
            awaitReady();
            demoLines = seedDemoData(endpoints, secrets, freshData, demoExports);
        }
        checkPrometheus();
        writeEnvFile(endpoints, secrets, demoExports);
        printBanner(endpoints, secrets, demoLines);
        watchServices();
        new CountDownLatch(1).await();
    }

    /** Runs on the main thread, which lives as long as the stack: Prometheus' parent-death signal is tied to it. */
    private void startPrometheus() throws IOException {
        Optional<Path> binary = DevPrometheus.binary(System.getenv());
        if (binary.isEmpty()) {
            say("Prometheus " + DevPrometheus.INSTALL_HINT);
            return;
        }
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            prometheus = DevPrometheus.start(binary.get(), options);
        }
        say("Started Prometheus on " + prometheus.url() + " (log: " + relative(prometheus.logFile()) + ")");
    }

    private void checkPrometheus() throws InterruptedException {
        if (prometheus == null) {
            return;
        }
        if (prometheus.awaitReady(Duration.ofSeconds(15))) {
            prometheusStatus = prometheus.url() + "   (targets: " + prometheus.url() + "/targets, alerts: "
                    + prometheus.url() + "/alerts)";
        } else {
            prometheusStatus = "did not get ready; see " + relative(prometheus.logFile());
            say("Prometheus " + prometheusStatus);
        }
    }

    private String mailNotice(DevMail.Received received) {
        return "[mail] to " + received.to() + ": \"" + received.subject() + "\" → "
                + (received.file() == null ? "(could not write the .eml file)" : relative(received.file()));
    }

    private void startServices(List<StackService> services, InfrastructureEndpoints endpoints, DevSecrets secrets)
            throws IOException {
        List<String> jvmOptions = new ArrayList<>(ServiceFleet.JVM_OPTIONS);
        jvmOptions.addAll(options.extraJvmOptions());
        ServiceFleet started =
                new ServiceFleet(options.stateDir(), options.logDir(), console, jvmOptions, options.services());
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            fleet = started;
        }
        Map<String, String> urls = ServiceFleet.serviceUrls(options.allServices());
        for (StackService service : services) {
            Map<String, String> environment =
                    ServiceFleet.environment(service, endpoints, secrets.serviceSecrets(), urls, mail);
            if (service.name().equals("order-sync-service")) {
                environment.putAll(antistockSync(antistock));
            }
            if (!started.start(service, environment)) {
                return;
            }
        }
        say("Started " + options.services().size() + " services; waiting for /actuator/health/readiness ...");
    }

    /**
     * order-sync-service pulls the sandbox every 10 s (Antistock itself is pulled every 5 minutes), so that an order
     * made or refunded with {@code bin/antistock-order} shows within seconds.
     */
    static Map<String, String> antistockSync(DevAntistock antistock) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("ANTISTOCK_BASE_URL", antistock.url());
        environment.put("DRAWBRIDGE_ORDER_ANTISTOCK_INTERVAL", "10s");
        environment.put("DRAWBRIDGE_ORDER_ANTISTOCK_INITIAL_DELAY", "5s");
        return environment;
    }

    /** Polls every service's readiness; a service that exits or never gets ready ends the run (after cleanup). */
    private void awaitReady() throws InterruptedException {
        try {
            fleet.awaitReady(
                    options.readyTimeout(),
                    service -> say(service.service().name() + " ready on "
                            + service.service().url() + " after "
                            + seconds(Duration.ofNanos(System.nanoTime() - startedAt))));
        } catch (ServiceFleet.StartupFailure failure) {
            exit(
                    1,
                    failure.report(relative(
                            options.logDir().resolve(failure.service().service().name() + ".log"))));
        }
        synchronized (lifecycle) {
            allReady = true;
        }
    }

    private List<String> seedDemoData(
            InfrastructureEndpoints endpoints, DevSecrets secrets, boolean freshData, Map<String, String> exports) {
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
                freshData,
                exports);
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
        for (ServiceProcess service : fleet == null ? List.<ServiceProcess>of() : fleet.processes()) {
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

    /** Shutdown hook: services and Prometheus first, in parallel, then the SMTP server, the infrastructure, the lock. */
    private void stop() {
        long stopStarted = System.nanoTime();
        ServiceFleet runningFleet;
        DevPrometheus runningPrometheus;
        DevMail runningMail;
        DevAntistock runningAntistock;
        EmbeddedInfrastructure infra;
        Duration grace;
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            stopping = true;
            runningFleet = fleet;
            runningPrometheus = prometheus;
            runningMail = mail;
            runningAntistock = antistock;
            infra = infrastructure;
            grace = allReady ? STOP_GRACE : STARTUP_STOP_GRACE;
        }
        boolean anythingStarted = infra != null || runningFleet != null;
        if (anythingStarted) {
            say("Stopping ...");
        }
        Thread prometheusStopper = new Thread(
                () -> {
                    if (runningPrometheus != null) {
                        runningPrometheus.close();
                    }
                },
                "stop-prometheus");
        prometheusStopper.start();
        if (runningFleet != null) {
            runningFleet.stop(grace);
        }
        try {
            prometheusStopper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (runningMail != null) {
            runningMail.close();
        }
        if (runningAntistock != null) {
            runningAntistock.close();
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

    private void checkPorts() {
        Map<Integer, String> wanted = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("kafka", options.kafkaPort());
        ports.put("db", options.dbPort());
        ports.put("s3", options.s3Port());
        ports.put("smtp", options.smtpPort());
        ports.put("imap", options.imapPort());
        ports.put("antistock", options.antistockPort());
        if (DevPrometheus.binary(System.getenv()).isPresent()) {
            ports.put("prometheus", options.prometheusPort());
        }
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

    /**
     * Copies what runs from a module's {@code target/} into {@code .devstack/jars/} (see {@link JarCopy}): the service
     * jars, and S3Proxy's jar, which infra/embedded's build copies to its {@code target/}. A rebuild while the stack
     * runs then changes nothing under it; the next start picks the new jars up.
     *
     * @return the services to start, each with its copy
     */
    private List<StackService> copyJars() {
        Path dir = options.jarDir();
        List<String> problems = new ArrayList<>();
        Path s3Proxy = Optional.ofNullable(System.getProperty(S3PROXY_JAR_PROPERTY))
                .filter(value -> !value.isBlank())
                .map(Path::of)
                .orElse(options.root().resolve(S3PROXY_BUILT_JAR));
        if (Files.isRegularFile(s3Proxy)) {
            try {
                Path copy = JarCopy.refresh(s3Proxy, dir.resolve("s3proxy.jar"), JarCopy.Kind.PLAIN);
                System.setProperty(S3PROXY_JAR_PROPERTY, copy.toString());
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        } // else infra/embedded falls back to the artifact in the local Maven repository, which no build rewrites.
        List<StackService> services = new ArrayList<>();
        if (!options.infraOnly()) {
            for (StackService service : options.services()) {
                try {
                    services.add(service.withJar(JarCopy.refresh(
                            service.jar(), dir.resolve(service.name() + ".jar"), JarCopy.Kind.SPRING_BOOT_EXECUTABLE)));
                } catch (IOException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            exit(
                    2,
                    "Cannot copy the jars to run into " + relative(dir) + ":\n  " + String.join("\n  ", problems)
                            + "\nBuild them with: ./mvnw -B -q -DskipTests install (bin/dev does this for you), or"
                            + " wait for the build that is writing them and start again");
        }
        say("Running the jars from " + relative(dir) + "/ (copies: rebuilding the modules does not touch them)");
        return List.copyOf(services);
    }

    /** {@code .devstack/env}: {@code source} it to talk to the stack or to run a service from an IDE against it. */
    private void writeEnvFile(InfrastructureEndpoints endpoints, DevSecrets secrets, Map<String, String> demoExports)
            throws IOException {
        Map<String, String> variables = new LinkedHashMap<>(ServiceFleet.serviceUrls(options.allServices()));
        variables.putAll(secrets.serviceSecrets());
        variables.remove(DevSecrets.CONSOLE_PASSWORD_HASH);
        variables.put(DevSecrets.CONSOLE_PASSWORD, secrets.get(DevSecrets.CONSOLE_PASSWORD));
        variables.putAll(endpoints.environment());
        variables.putAll(ServiceFleet.smtpEnvironment(mail));
        variables.put("DEVSTACK_IMAP_PORT", Integer.toString(mail.imapPort()));
        variables.put("DEVSTACK_MAIL_DIR", options.mailDir().toString());
        if (prometheus != null) {
            variables.put("DEVSTACK_PROMETHEUS_URL", prometheus.url());
        }
        variables.put("DEVSTACK_ANTISTOCK_URL", antistock.url());
        variables.putAll(demoExports);
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
            options.services().stream()
                    .filter(service -> service.name().equals("download-gateway"))
                    .findFirst()
                    .ifPresent(gateway -> banner.append(String.format(
                            "  %-19s %s/share   (a text or a file, read once, then deleted)%n",
                            "One-time shares", gateway.url())));
        }
        banner.append('\n');
        options.allServices().stream()
                .filter(service -> service.name().equals("console"))
                .findFirst()
                .ifPresent(console -> line(
                        banner,
                        "Console",
                        console.url() + "   sign in as " + secrets.get(DevSecrets.CONSOLE_USER) + " / "
                                + secrets.get(DevSecrets.CONSOLE_PASSWORD)));
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
        line(
                banner,
                "Mail (SMTP)",
                mail.host() + ":" + mail.smtpPort() + "   every message: " + relative(options.mailDir())
                        + "/<time>-<to>.eml");
        line(
                banner,
                "",
                "IMAP " + mail.host() + ":" + mail.imapPort() + "   (user = the recipient address, any password)");
        line(banner, "Prometheus", prometheusStatus);
        line(banner, "Antistock sandbox", antistock.url() + "   (order-sync-service pulls its orders every 10 s)");
        banner.append('\n');
        line(banner, "Environment", "source " + relative(options.stateDir().resolve("env")));
        line(banner, "Logs", relative(options.logDir()) + "/<service>.log");
        line(banner, "Data", relative(options.dataDir()) + "   (bin/dev --fresh starts over)");
        if (!demoLines.isEmpty()) {
            banner.append('\n');
            demoLines.forEach(demo -> banner.append("  ").append(demo).append('\n'));
        }
        if (!options.infraOnly()
                && options.services().stream().anyMatch(s -> s.name().equals("order-sync-service"))) {
            banner.append('\n');
            line(
                    banner,
                    "Try a purchase",
                    "bin/stripe-webhook buyer@example.com   (signed Stripe webhook → link emailed to "
                            + relative(options.mailDir()) + "/)");
            line(
                    banner,
                    "",
                    "bin/antistock-order buyer@example.com   (an Antistock order, pulled → link emailed; then"
                            + " bin/antistock-order refund <order id>)");
        }
        banner.append("\n  Ctrl-C stops everything.\n").append(rule).append('\n');
        console.print(banner);
    }

    private static void line(StringBuilder banner, String label, String value) {
        banner.append(String.format("  %-19s %s%n", label, value));
    }

    /**
     * Deletes {@code .devstack/} except the lock this run holds and the jars (bin/dev runs this very program from
     * {@code jars/}; the others are replaced before they are used).
     */
    private void wipeState(Path lockFile) throws IOException {
        try (Stream<Path> paths = Files.walk(options.stateDir())) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(lockFile) && !path.equals(options.stateDir()) && !path.startsWith(options.jarDir())) {
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
