package io.drawbridge.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Kafka (KRaft), PostgreSQL and S3-compatible servers on loopback, so that tests and the dev stack run against
 * the same kind of servers as production without Docker. Kafka runs inside this JVM, PostgreSQL and S3Proxy as child
 * processes; {@link #close()} (or, failing that, a JVM shutdown hook) stops all three.
 *
 * <p>Ports 0 pick free ports; a {@code null} data directory means a temporary one deleted on close.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

    public static final String BUCKET = "drawbridge";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

    private final InfrastructureEndpoints endpoints;
    private final Deque<AutoCloseable> servers;
    private final Path temporaryDir;
    private final Thread shutdownHook;
    private final Duration startupTime;
    private boolean closed;

    private EmbeddedInfrastructure(
            InfrastructureEndpoints endpoints, Deque<AutoCloseable> servers, Path temporaryDir, Duration startupTime) {
        this.endpoints = endpoints;
        this.servers = servers;
        this.temporaryDir = temporaryDir;
        this.startupTime = startupTime;
        this.shutdownHook = new Thread(this::stop, "embedded-infrastructure-shutdown");
    }

    /**
     * Starts the three servers (in parallel: S3Proxy and PostgreSQL are processes of their own) and returns once
     * each answers and the database, its user and the bucket exist. On failure, whatever did start is stopped.
     */
    public static EmbeddedInfrastructure start(InfrastructureSettings settings) {
        ServerLogLevels.apply();
        long started = System.nanoTime();
        Path temporaryDir = null;
        Deque<AutoCloseable> servers = new ArrayDeque<>();
        CompletableFuture<Timed<PostgresServer>> postgres = null;
        Thread earlyHook = new Thread(() -> stopAll(servers), "embedded-infrastructure-startup-shutdown");
        Runtime.getRuntime().addShutdownHook(earlyHook);
        try {
            Path root;
            if (settings.dataDir() == null) {
                temporaryDir = Files.createTempDirectory("drawbridge-infra-");
                root = temporaryDir;
            } else {
                root = Files.createDirectories(settings.dataDir().toAbsolutePath());
            }
            boolean keepData = settings.dataDir() != null;
            int kafkaPort = LoopbackPorts.resolve(settings.kafkaPort(), "Kafka");
            int dbPort = LoopbackPorts.resolve(settings.dbPort(), "PostgreSQL");
            int s3Port = LoopbackPorts.resolve(settings.s3Port(), "S3");
            String dbPassword = settings.dbPassword() != null ? settings.dbPassword() : generatedPassword();

            S3ProxyServer s3 = S3ProxyServer.launch(
                    s3Port,
                    Files.createDirectories(root.resolve("s3")),
                    settings.s3AccessKey(),
                    settings.s3SecretKey());
            register(servers, s3);
            postgres = CompletableFuture.supplyAsync(
                    () -> timed("PostgreSQL", () -> {
                        PostgresServer server =
                                PostgresServer.start(dbPort, root.resolve("postgres"), keepData, dbPassword);
                        register(servers, server);
                        return server;
                    }),
                    runnable -> newThread("embedded-postgres-start", runnable).start());
            Timed<KafkaBroker> kafka = timed(
                    "Kafka", () -> KafkaBroker.start(kafkaPort, root.resolve("kafka"), settings.kafkaPartitions()));
            register(servers, kafka.server());
            Timed<PostgresServer> db = join(postgres);
            postgres = null;
            Timed<S3ProxyServer> s3Ready = timed("S3Proxy", () -> {
                s3.awaitReadyAndCreate(BUCKET, settings.s3AccessKey(), settings.s3SecretKey());
                return s3;
            });

            InfrastructureEndpoints endpoints = new InfrastructureEndpoints(
                    kafka.server().bootstrapServers(),
                    PostgresServer.HOST,
                    db.server().port(),
                    PostgresServer.DATABASE,
                    PostgresServer.USER,
                    dbPassword,
                    s3.endpoint(),
                    settings.s3AccessKey(),
                    settings.s3SecretKey(),
                    BUCKET);
            Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
            EmbeddedInfrastructure infrastructure =
                    new EmbeddedInfrastructure(endpoints, servers, temporaryDir, startupTime);
            Runtime.getRuntime().addShutdownHook(infrastructure.shutdownHook);
            removeHook(earlyHook);
            log.info(
                    "Embedded infrastructure ready in {} ms (Kafka {} ms, PostgreSQL {} ms, S3 {} ms more): {}",
                    startupTime.toMillis(),
                    kafka.duration().toMillis(),
                    db.duration().toMillis(),
                    s3Ready.duration().toMillis(),
                    endpoints);
            return infrastructure;
        } catch (RuntimeException | Error e) {
            if (postgres != null) {
                // Still starting on its own thread (it registers itself once up): wait, then stop it with the rest.
                postgres.handle((db, failure) -> null).join();
            }
            stopAll(servers);
            deleteRecursively(temporaryDir);
            removeHook(earlyHook);
            throw e;
        } catch (IOException e) {
            stopAll(servers);
            deleteRecursively(temporaryDir);
            removeHook(earlyHook);
            throw new UncheckedIOException("embedded infrastructure failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * Stops what an earlier run killed with SIGKILL may have left on {@code dataDir} (its detached PostgreSQL
     * server), so that a caller holding the data directory can check its ports before {@link #start}.
     */
    public static void stopLeftovers(Path dataDir) {
        try {
            PostgresServer.stopLeftOverPostmaster(dataDir.resolve("postgres"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public InfrastructureEndpoints endpoints() {
        return endpoints;
    }

    /** Wall-clock time {@link #start} took, for the dev stack's banner and test logs. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Stops the servers, in reverse order of start, and deletes a temporary data directory. Idempotent; a second
     * caller waits until the first has finished, so "closed" always means "stopped".
     */
    @Override
    public void close() {
        stop();
        removeHook(shutdownHook);
    }

    /**
     * Leaves stopping at JVM exit to the caller, whose own shutdown hook must call {@link #close()}. For callers that
     * must stop things in order: JVM shutdown hooks run concurrently, and the dev stack's services must shut down
     * while Kafka and PostgreSQL are still there.
     */
    public EmbeddedInfrastructure withoutShutdownHook() {
        removeHook(shutdownHook);
        return this;
    }

    private synchronized void stop() {
        if (!closed) {
            closed = true;
            long started = System.nanoTime();
            String timings = stopAll(servers);
            deleteRecursively(temporaryDir);
            log.info(
                    "Embedded infrastructure stopped in {} ms ({})",
                    (System.nanoTime() - started) / 1_000_000,
                    timings);
        }
    }

    /** Stops every registered server, newest first; returns how long each took. */
    private static String stopAll(Deque<AutoCloseable> servers) {
        StringBuilder timings = new StringBuilder();
        synchronized (servers) {
            while (!servers.isEmpty()) {
                AutoCloseable server = servers.pop();
                long started = System.nanoTime();
                try {
                    server.close();
                } catch (Exception e) {
                    log.warn("Could not stop {} cleanly: {}", server, e.toString());
                }
                timings.append(timings.isEmpty() ? "" : ", ")
                        .append(server)
                        .append(' ')
                        .append((System.nanoTime() - started) / 1_000_000)
                        .append(" ms");
            }
        }
        return timings.toString();
    }

    private static AutoCloseable register(Deque<AutoCloseable> servers, AutoCloseable server) {
        synchronized (servers) {
            servers.push(server);
        }
        return server;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; nothing to remove.
        }
    }

    private static String generatedPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Thread newThread(String name, Runnable runnable) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    private interface Startup<T> {
        T run() throws Exception;
    }

    private record Timed<T>(T server, Duration duration) {}

    private static <T> Timed<T> timed(String what, Startup<T> startup) {
        long started = System.nanoTime();
        try {
            return new Timed<>(startup.run(), Duration.ofNanos(System.nanoTime() - started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " startup was interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed to start: " + e.getMessage(), e);
        }
    }
}
