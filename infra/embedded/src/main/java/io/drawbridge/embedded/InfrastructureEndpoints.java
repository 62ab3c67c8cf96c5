package io.drawbridge.embedded;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the embedded servers listen and how to log in. Services read exactly these values from {@code DRAWBRIDGE_*}
 * placeholders in their {@code application.yml}, so one map serves as a child process's environment (dev stack)
 * and as system properties of a test JVM.
 */
public record InfrastructureEndpoints(
        String kafkaBootstrapServers,
        String dbHost,
        int dbPort,
        String dbName,
        String dbUser,
        String dbPassword,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Bucket) {

    /** The DRAWBRIDGE_* variables a service process (or test JVM, as system properties) needs. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("DRAWBRIDGE_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        environment.put("DRAWBRIDGE_DB_HOST", dbHost);
        environment.put("DRAWBRIDGE_DB_PORT", Integer.toString(dbPort));
        environment.put("DRAWBRIDGE_DB_NAME", dbName);
        environment.put("DRAWBRIDGE_DB_USER", dbUser);
        environment.put("DRAWBRIDGE_DB_PASSWORD", dbPassword);
        environment.put("DRAWBRIDGE_S3_ENDPOINT", s3Endpoint);
        environment.put("DRAWBRIDGE_S3_ACCESS_KEY", s3AccessKey);
        environment.put("DRAWBRIDGE_S3_SECRET_KEY", s3SecretKey);
        environment.put("DRAWBRIDGE_S3_BUCKET", s3Bucket);
        return Collections.unmodifiableMap(environment);
    }

    /** The JDBC URL of the application database, for tests that check rows directly. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + dbHost + ":" + dbPort + "/" + dbName;
    }

    /** Passwords and keys stay out of logs and assertion messages. */
    @Override
    public String toString() {
        return "InfrastructureEndpoints[kafka=" + kafkaBootstrapServers + ", db=" + dbUser + "@" + dbHost + ":" + dbPort
                + "/" + dbName + ", s3=" + s3Endpoint + "/" + s3Bucket + "]";
    }
}
