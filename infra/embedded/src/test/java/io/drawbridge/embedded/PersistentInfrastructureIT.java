package io.drawbridge.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the dev stack relies on: data survives a restart, and a stop leaves no process behind. */
class PersistentInfrastructureIT {

    @TempDir
    Path dataDir;

    @Test
    void recordsRowsAndObjectsSurviveARestartOnTheSameDataDirectory() throws Exception {
        InfrastructureSettings settings = InfrastructureSettings.ephemeral()
                .withDataDir(dataDir)
                .withDbPassword("dev-password")
                .withKafkaPartitions(3);
        List<ProcessHandle> childrenBefore = ProcessHandle.current().children().toList();

        try (EmbeddedInfrastructure first = EmbeddedInfrastructure.start(settings)) {
            InfrastructureEndpoints endpoints = first.endpoints();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>("kept", "k", "v1")).get();
            }
            try (Connection connection = DriverManager.getConnection(
                            endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (body text)");
                statement.execute("INSERT INTO kept VALUES ('row')");
            }
            s3(endpoints)
                    .putObject(PutObjectArgs.builder().bucket(endpoints.s3Bucket()).object("kept.txt").stream(
                                    new ByteArrayInputStream("object".getBytes(StandardCharsets.UTF_8)), 6L, -1L)
                            .build());
        }
        assertThat(ProcessHandle.current().children().filter(child -> !childrenBefore.contains(child)))
                .as("child processes left after close")
                .isEmpty();
        assertThat(postmastersOn(dataDir)).as("postmasters left after close").isEmpty();

        try (EmbeddedInfrastructure second = EmbeddedInfrastructure.start(settings)) {
            InfrastructureEndpoints endpoints = second.endpoints();
            assertThat(endpoints.dbPassword()).isEqualTo("dev-password");
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    endpoints.kafkaBootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "restart-check",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class))) {
                consumer.subscribe(List.of("kept"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                }
            }
            assertThat(values).containsExactly("v1");
            try (Connection connection = DriverManager.getConnection(
                            endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT body FROM kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("row");
            }
            try (InputStream object = s3(endpoints)
                    .getObject(GetObjectArgs.builder()
                            .bucket(endpoints.s3Bucket())
                            .object("kept.txt")
                            .build())) {
                assertThat(new String(object.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("object");
            }
        }
        assertThat(postmastersOn(dataDir)).isEmpty();
    }

    private static MinioClient s3(InfrastructureEndpoints endpoints) {
        return MinioClient.builder()
                .endpoint(endpoints.s3Endpoint())
                .region("us-east-1")
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey())
                .build();
    }

    private static List<ProcessHandle> postmastersOn(Path dataDir) {
        String dir = dataDir.resolve("postgres").toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .arguments()
                        .map(arguments -> List.of(arguments).contains(dir))
                        .orElse(false))
                .toList();
    }
}
