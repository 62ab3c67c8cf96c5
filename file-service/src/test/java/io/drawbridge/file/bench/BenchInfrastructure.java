package io.drawbridge.file.bench;

import io.drawbridge.embedded.EmbeddedInfrastructure;
import io.drawbridge.embedded.InfrastructureSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Starts the embedded Kafka, PostgreSQL and S3 server for a hand-run measurement of file-service (see {@code
 * src/test/bench/upload-throughput.sh}) and writes their {@code DRAWBRIDGE_*} environment to the file given as the only
 * argument. Runs until killed.
 */
public final class BenchInfrastructure {

    private BenchInfrastructure() {}

    public static void main(String[] args) throws Exception {
        Path envFile = Path.of(args.length > 0 ? args[0] : "target/bench/infra.env");
        EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(InfrastructureSettings.ephemeral());
        Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close));
        Files.createDirectories(envFile.toAbsolutePath().getParent());
        Files.writeString(
                envFile,
                infrastructure.endpoints().environment().entrySet().stream()
                        .map(e -> "export " + e.getKey() + "='" + e.getValue() + "'")
                        .collect(Collectors.joining("\n", "", "\n")));
        System.out.println("ready: " + envFile);
        Thread.currentThread().join();
    }
}
