package io.drawbridge.embedded;

import java.nio.file.Path;

/**
 * How to run the embedded servers. Tests want random ports and throw-away data ({@link #ephemeral()}); the dev stack
 * wants well-known ports and data that survives a restart ({@link #withPorts}, {@link #withDataDir}). Immutable:
 * every {@code with*} returns a copy.
 *
 * @param kafkaPort Kafka's client port on 127.0.0.1, 0 for a free one
 * @param dbPort PostgreSQL's port, 0 for a free one
 * @param s3Port the S3 API port on 127.0.0.1, 0 for a free one
 * @param dataDir where Kafka logs, the PostgreSQL cluster and S3 objects live across restarts; {@code null} for a
 *     temporary directory deleted on close
 * @param dbPassword the password of the application user, {@code null} to generate one
 * @param s3AccessKey the S3 access key (SigV4 identity)
 * @param s3SecretKey the S3 secret key
 * @param kafkaPartitions partitions of topics created on first use
 */
public record InfrastructureSettings(
        int kafkaPort,
        int dbPort,
        int s3Port,
        Path dataDir,
        String dbPassword,
        String s3AccessKey,
        String s3SecretKey,
        int kafkaPartitions) {

    /** The access key tests and the dev stack share: the S3 server is on loopback only. */
    public static final String DEFAULT_S3_ACCESS_KEY = "drawbridge";

    /** The secret key tests and the dev stack share: the S3 server is on loopback only. */
    public static final String DEFAULT_S3_SECRET_KEY = "drawbridge-dev-secret";

    /** Default partitions of auto-created topics: enough to show ordering per key across partitions. */
    public static final int DEFAULT_KAFKA_PARTITIONS = 6;

    public InfrastructureSettings {
        requirePort(kafkaPort, "kafkaPort");
        requirePort(dbPort, "dbPort");
        requirePort(s3Port, "s3Port");
        if (s3AccessKey == null || s3AccessKey.isBlank() || s3SecretKey == null || s3SecretKey.length() < 8) {
            throw new IllegalArgumentException("S3 needs an access key and a secret of at least 8 characters");
        }
        if (kafkaPartitions < 1) {
            throw new IllegalArgumentException("kafkaPartitions must be at least 1");
        }
    }

    /** Free random ports, a temporary data directory and a generated database password. */
    public static InfrastructureSettings ephemeral() {
        return new InfrastructureSettings(
                0, 0, 0, null, null, DEFAULT_S3_ACCESS_KEY, DEFAULT_S3_SECRET_KEY, DEFAULT_KAFKA_PARTITIONS);
    }

    public InfrastructureSettings withPorts(int kafka, int db, int s3) {
        return new InfrastructureSettings(
                kafka, db, s3, dataDir, dbPassword, s3AccessKey, s3SecretKey, kafkaPartitions);
    }

    public InfrastructureSettings withDataDir(Path dir) {
        return new InfrastructureSettings(
                kafkaPort, dbPort, s3Port, dir, dbPassword, s3AccessKey, s3SecretKey, kafkaPartitions);
    }

    public InfrastructureSettings withDbPassword(String password) {
        return new InfrastructureSettings(
                kafkaPort, dbPort, s3Port, dataDir, password, s3AccessKey, s3SecretKey, kafkaPartitions);
    }

    public InfrastructureSettings withS3Credentials(String accessKey, String secretKey) {
        return new InfrastructureSettings(
                kafkaPort, dbPort, s3Port, dataDir, dbPassword, accessKey, secretKey, kafkaPartitions);
    }

    public InfrastructureSettings withKafkaPartitions(int partitions) {
        return new InfrastructureSettings(
                kafkaPort, dbPort, s3Port, dataDir, dbPassword, s3AccessKey, s3SecretKey, partitions);
    }

    /** The secret key stays out of logs and assertion messages. */
    @Override
    public String toString() {
        return "InfrastructureSettings[kafkaPort=" + kafkaPort + ", dbPort=" + dbPort + ", s3Port=" + s3Port
                + ", dataDir=" + dataDir + ", kafkaPartitions=" + kafkaPartitions + "]";
    }

    private static void requirePort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (any free port) or 1-65535, was " + port);
        }
    }
}
