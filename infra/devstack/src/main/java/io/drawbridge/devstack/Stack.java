package io.drawbridge.devstack;

import io.drawbridge.embedded.EmbeddedInfrastructure;
import io.drawbridge.embedded.InfrastructureEndpoints;
import io.drawbridge.embedded.InfrastructureSettings;
import io.drawbridge.embedded.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on this machine for black-box tests: real Kafka, PostgreSQL and S3 ({@link EmbeddedInfrastructure}),
 * an SMTP server that keeps every message ({@link DevMail}) and the five services from their executable jars, each in
 * its own JVM, started and configured exactly as {@code bin/dev} does. Everything listens on free ports and lives in
 * {@link Settings#workDir()} (no {@code .devstack/}, no lock), so it runs beside a developer's {@code bin/dev}.
 * {@link #close()} (or JVM exit) stops the services first, then the rest.
 */
public final class Stack implements AutoCloseable {

    /** The services by module name, in start order. */
    public static final List<String> SERVICES = List.copyOf(DevStackOptions.SERVICE_PORTS.keySet());

    private static final Logger log = LoggerFactory.getLogger(Stack.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Map<String, StackService> services;
    private final DevSecrets secrets;
    private final Path logDir;
    private Duration startupTime = Duration.ZERO;
    private final Thread shutdownHook = new Thread(this::stop, "stack-shutdown");
    private EmbeddedInfrastructure infrastructure;
    private DevMail mail;
    private ServiceFleet fleet;
    private boolean stopped;

    /**
     * What to start.
     *
     * @param workDir logs, mail, secrets, the private copies of the jars and scratch files (the infrastructure's data lives in a
     *     temporary directory of its own)
     * @param serviceJars module name → executable jar, for every one of {@link #SERVICES}
     * @param environment extra environment for every service (e.g. {@code DRAWBRIDGE_GATEWAY_RATELIMIT_CAPACITY})
     * @param readyTimeout how long the services may take to report ready
     */
    public record Settings(
            Path workDir, Map<String, Path> serviceJars, Map<String, String> environment, Duration readyTimeout) {}

    private Stack(Map<String, StackService> services, DevSecrets secrets, Path logDir) {
        this.services = services;
        this.secrets = secrets;
        this.logDir = logDir;
    }

    /** Starts everything and returns once every service reports ready; on failure stops what started and throws. */
    public static Stack start(Settings settings) {
        long started = System.nanoTime();
        Path workDir = settings.workDir().toAbsolutePath();
        Path logDir = workDir.resolve("logs");
        Map<String, StackService> services = new LinkedHashMap<>();
        DevSecrets secrets;
        try {
            Files.createDirectories(logDir);
            secrets = DevSecrets.loadOrCreate(workDir.resolve("secrets"));
            for (String name : SERVICES) {
                Path jar = settings.serviceJars().get(name);
                if (jar == null || !Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException("no executable jar for " + name + ": " + jar);
                }
                services.put(name, new StackService(name, LoopbackPorts.free(), copy(jar, workDir, name)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Stack stack = new Stack(services, secrets, logDir);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            return stack.run(settings, workDir, started);
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        } catch (Exception e) {
            stack.close();
            throw new IllegalStateException("the stack did not start: " + e.getMessage(), e);
        }
    }

    private Stack run(Settings settings, Path workDir, long started) throws Exception {
        EmbeddedInfrastructure infra =
                EmbeddedInfrastructure.start(InfrastructureSettings.ephemeral()).withoutShutdownHook();
        synchronized (this) {
            infrastructure = infra;
        }
        StackTopics.create(infra.endpoints().kafkaBootstrapServers());
        DevMail startedMail = DevMail.start(
                0,
                0,
                workDir.resolve("mail"),
                received -> log.info("[mail] to {}: \"{}\" → {}", received.to(), received.subject(), received.file()));
        List<StackService> all = List.copyOf(services.values());
        ServiceFleet startedFleet = new ServiceFleet(workDir, logDir, null, ServiceFleet.JVM_OPTIONS, all);
        synchronized (this) {
            mail = startedMail;
            fleet = startedFleet;
            if (stopped) {
                throw new IllegalStateException("stopped during startup");
            }
        }
        Map<String, String> urls = ServiceFleet.serviceUrls(all);
        for (StackService service : all) {
            Map<String, String> environment =
                    ServiceFleet.environment(service, infra.endpoints(), secrets.serviceSecrets(), urls, startedMail);
            environment.putAll(settings.environment());
            startedFleet.start(service, environment);
        }
        try {
            startedFleet.awaitReady(
                    settings.readyTimeout(),
                    ready -> log.info(
                            "{} ready on {} after {} ms",
                            ready.service().name(),
                            ready.service().url(),
                            (System.nanoTime() - started) / 1_000_000));
        } catch (ServiceFleet.StartupFailure failure) {
            throw new IllegalStateException(
                    failure.report(logDir.resolve(failure.service().service().name() + ".log")
                            .toString()),
                    failure);
        }
        synchronized (this) {
            startupTime = Duration.ofNanos(System.nanoTime() - started);
        }
        log.info("Stack ready in {} ms; logs in {}", startupTime.toMillis(), logDir);
        return this;
    }

    /** A service's base URL by module name, e.g. {@code download-gateway} → {@code http://localhost:41234}. */
    public String url(String service) {
        StackService found = services.get(service);
        if (found == null) {
            throw new IllegalArgumentException("no service " + service + " in " + services.keySet());
        }
        return found.url();
    }

    /** Bearer token of the admin APIs ({@code /api/v1/**}). */
    public String adminToken() {
        return secrets.get(DevSecrets.ADMIN_TOKEN);
    }

    /** Bearer token of the internal APIs ({@code /internal/**}). */
    public String serviceToken() {
        return secrets.get(DevSecrets.SERVICE_TOKEN);
    }

    /** The console's seller account: user name. */
    public String consoleUser() {
        return secrets.get(DevSecrets.CONSOLE_USER);
    }

    /** The console's seller account: password (the console itself gets only its bcrypt hash). */
    public String consolePassword() {
        return secrets.get(DevSecrets.CONSOLE_PASSWORD);
    }

    /** The signing secret order-sync-service verifies Stripe webhooks with ({@code whsec_...}). */
    public String stripeWebhookSecret() {
        return secrets.get(DevSecrets.STRIPE_WEBHOOK_SECRETS);
    }

    public synchronized InfrastructureEndpoints infrastructure() {
        return infrastructure.endpoints();
    }

    /** The SMTP server token-service sends its emails to. */
    public synchronized DevMail mail() {
        return mail;
    }

    /** {@code <service>.log} of every service. */
    public Path logDir() {
        return logDir;
    }

    public synchronized Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs or ran.
        }
    }

    /** Services first (they shut down while Kafka and PostgreSQL are still there), then mail, then infrastructure. */
    private void stop() {
        ServiceFleet runningFleet;
        DevMail runningMail;
        EmbeddedInfrastructure runningInfrastructure;
        synchronized (this) {
            stopped = true;
            runningFleet = fleet;
            runningMail = mail;
            runningInfrastructure = infrastructure;
            fleet = null;
            mail = null;
            infrastructure = null;
        }
        if (runningFleet != null) {
            runningFleet.stop(STOP_GRACE);
        }
        if (runningMail != null) {
            runningMail.close();
        }
        if (runningInfrastructure != null) {
            runningInfrastructure.close();
        }
    }

    /**
     * A private copy of the jar (see {@link JarCopy}; not a hard link: Maven rewrites the jar's file in place), so that
     * a rebuild of the module while the stack runs cannot change the jar under a running service.
     */
    private static Path copy(Path jar, Path workDir, String name) throws IOException {
        return JarCopy.refresh(
                jar, workDir.resolve("jars").resolve(name + ".jar"), JarCopy.Kind.SPRING_BOOT_EXECUTABLE);
    }

    /** For logs: where each service listens. */
    @Override
    public String toString() {
        List<String> urls = new ArrayList<>();
        services.values().forEach(service -> urls.add(service.name() + "=" + service.url()));
        return "Stack" + urls;
    }
}
