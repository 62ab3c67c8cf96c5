package io.drawbridge.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@WithEmbeddedInfrastructure
class EmbeddedInfrastructureIT {

    @Test
    void everyServiceSettingIsPublishedAsASystemProperty(InfrastructureEndpoints endpoints) {
        assertThat(endpoints.environment())
                .containsOnlyKeys(
                        "DRAWBRIDGE_KAFKA_BOOTSTRAP_SERVERS",
                        "DRAWBRIDGE_DB_HOST",
                        "DRAWBRIDGE_DB_PORT",
                        "DRAWBRIDGE_DB_NAME",
                        "DRAWBRIDGE_DB_USER",
                        "DRAWBRIDGE_DB_PASSWORD",
                        "DRAWBRIDGE_S3_ENDPOINT",
                        "DRAWBRIDGE_S3_ACCESS_KEY",
                        "DRAWBRIDGE_S3_SECRET_KEY",
                        "DRAWBRIDGE_S3_BUCKET")
                .allSatisfy(
                        (name, value) -> assertThat(System.getProperty(name)).isEqualTo(value));
        assertThat(endpoints.dbName()).isEqualTo("drawbridge");
        assertThat(endpoints.s3Bucket()).isEqualTo("drawbridge");
        assertThat(endpoints.toString()).doesNotContain(endpoints.dbPassword(), endpoints.s3SecretKey());
    }

    @Test
    void kafkaDeliversAProducedRecordToAConsumerOnAnAutoCreatedSixPartitionTopic(InfrastructureEndpoints endpoints)
            throws Exception {
        String topic = "round-trip-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                endpoints.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class))) {
            producer.send(new ProducerRecord<>(topic, "key-1", "hello")).get();
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                endpoints.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        assertThat(received).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("key-1");
            assertThat(record.value()).isEqualTo("hello");
        });

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
            assertThat(admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions())
                    .hasSize(6);
        }
    }

    @Test
    void postgresLetsTheApplicationUserInWithItsPasswordAndNoOther(InfrastructureEndpoints endpoints) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS it_round_trip");
            statement.execute("CREATE TABLE it_round_trip.note (id int PRIMARY KEY, body text NOT NULL)");
            statement.execute("INSERT INTO it_round_trip.note VALUES (1, 'stored')");
            try (ResultSet rows = statement.executeQuery(
                    "SELECT body, current_user, current_database(), version() FROM it_round_trip.note")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("stored");
                assertThat(rows.getString(2)).isEqualTo("drawbridge");
                assertThat(rows.getString(3)).isEqualTo("drawbridge");
                assertThat(rows.getString(4)).startsWith("PostgreSQL 17");
            }
            statement.execute("DROP SCHEMA it_round_trip CASCADE");
        }

        assertThatThrownBy(() -> DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.dbUser(), "wrong"))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01")); // invalid_password
    }

    @Test
    void s3AnswersARangeRequestWith206AndExactlyTheRequestedBytes(InfrastructureEndpoints endpoints) throws Exception {
        MinioClient s3 = MinioClient.builder()
                .endpoint(endpoints.s3Endpoint())
                .region("us-east-1")
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey())
                .build();
        byte[] content = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
        String key = "it/" + UUID.randomUUID() + ".txt";
        s3.putObject(PutObjectArgs.builder().bucket(endpoints.s3Bucket()).object(key).stream(
                        new ByteArrayInputStream(content), (long) content.length, -1L)
                .contentType("text/plain")
                .build());
        String url = s3.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Http.Method.GET)
                .bucket(endpoints.s3Bucket())
                .object(key)
                .expiry(300)
                .build());

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> range = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Range", "bytes=10-15")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 10-15/36");
        assertThat(new String(range.body(), StandardCharsets.US_ASCII)).isEqualTo("abcdef");

        HttpResponse<byte[]> whole =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);

        HttpResponse<String> unsigned = http.send(
                HttpRequest.newBuilder(URI.create(endpoints.s3Endpoint() + "/" + endpoints.s3Bucket() + "/" + key))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
    }

    @Test
    void aBusyFixedPortIsReportedByNameBeforeAnythingStarts() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            InfrastructureSettings settings = InfrastructureSettings.ephemeral().withPorts(busy.getLocalPort(), 0, 0);
            assertThatThrownBy(() -> EmbeddedInfrastructure.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Kafka cannot start: port " + busy.getLocalPort() + " is already in use");
        }
    }
}
