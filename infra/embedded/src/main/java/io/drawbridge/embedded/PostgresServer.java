package io.drawbridge.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real PostgreSQL 17 server from zonky's binaries (they run as root too), with the application database and a
 * password-checked application user, as in production: the superuser is trusted on loopback only so that zonky can
 * manage the server, every other login needs its password (SCRAM), so a service configured with the wrong one fails
 * here as it would in Kubernetes.
 */
final class PostgresServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final String DATABASE = "drawbridge";
    static final String USER = "drawbridge";

    private static final String HBA =
            """
            # Written by Drawbridge's embedded infrastructure on every start.
            local   all   postgres                   trust
            host    all   postgres   127.0.0.1/32    trust
            host    all   postgres   ::1/128         trust
            local   all   all                        scram-sha-256
            host    all   all        127.0.0.1/32    scram-sha-256
            host    all   all        ::1/128         scram-sha-256
            """;

    /**
     * Waits for end of input (the JVM that started it died, or {@link #close()} closed the pipe), then asks the
     * postmaster for a fast shutdown. A shell, not a JVM: it costs a megabyte.
     */
    private static final String WATCHDOG_SCRIPT = "while read -r _; do :; done; kill -INT \"$1\" 2>/dev/null";

    private final EmbeddedPostgres postgres;
    private final Process watchdog;

    private PostgresServer(EmbeddedPostgres postgres, Process watchdog) {
        this.postgres = postgres;
        this.watchdog = watchdog;
    }

    /**
     * Starts PostgreSQL on {@code dataDir}, keeping an existing cluster there, and makes sure {@link #DATABASE} and
     * {@link #USER} exist with {@code password}.
     */
    static PostgresServer start(int port, Path dataDir, boolean keepData, String password) throws Exception {
        if (keepData) {
            stopLeftOverPostmaster(dataDir);
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(!keepData)
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "64MB")
                .setServerConfig("fsync", keepData ? "on" : "off")
                .setServerConfig("full_page_writes", keepData ? "on" : "off")
                .setPGStartupWait(Duration.ofSeconds(30))
                // EmbeddedInfrastructure stops it, in order; zonky's own hook would race the caller's.
                .setRegisterShutdownHook(false)
                .start();
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                provision(connection, password);
            }
        } catch (Exception | Error e) {
            postgres.close();
            throw e;
        }
        return new PostgresServer(postgres, startWatchdog(dataDir));
    }

    int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
        if (watchdog != null) {
            watchdog.destroy();
            try {
                watchdog.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * pg_ctl detaches the postmaster, so unlike S3Proxy it does not notice when this JVM dies. A watchdog process,
     * in its own session like the JVM's other children, stops it when the write end of its stdin (held by this JVM)
     * closes, so that even a JVM killed with SIGKILL leaves no server behind.
     */
    private static Process startWatchdog(Path dataDir) {
        try {
            long postmaster = Long.parseLong(
                    Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.addAll(List.of("/bin/sh", "-c", WATCHDOG_SCRIPT, "postgres-watchdog", Long.toString(postmaster)));
            return new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            // Without a watchdog only a SIGKILLed JVM leaves the server running; the next start stops it.
            return null;
        }
    }

    private static void provision(Connection connection, String password) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_reload_conf()");
            String quotedPassword = "'" + password.replace("'", "''") + "'";
            if (exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
                statement.execute("ALTER ROLE " + USER + " WITH LOGIN PASSWORD " + quotedPassword);
            } else {
                statement.execute("CREATE ROLE " + USER + " WITH LOGIN PASSWORD " + quotedPassword);
            }
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER + " ENCODING 'UTF8'");
            }
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * pg_ctl detaches the postmaster from this JVM, so a JVM killed with SIGKILL leaves it running on the persistent
     * data directory. Stop it (fast shutdown) before starting a new one there instead of failing on its lock.
     */
    static void stopLeftOverPostmaster(Path dataDir) throws IOException, InterruptedException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> postmaster = lines.isEmpty()
                ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(process -> process.info()
                        .command()
                        .map(command -> command.endsWith("postgres"))
                        .orElse(false));
        if (postmaster.isEmpty()) {
            return;
        }
        new ProcessBuilder("kill", "-INT", Long.toString(postmaster.get().pid()))
                .start()
                .waitFor();
        try {
            postmaster.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            postmaster.get().destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL";
    }
}
