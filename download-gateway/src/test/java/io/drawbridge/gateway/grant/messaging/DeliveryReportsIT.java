package io.drawbridge.gateway.grant.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.embedded.EmbeddedInfrastructureExtension;
import io.drawbridge.embedded.WithEmbeddedInfrastructure;
import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.Event;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.kafka.EventDeserializer;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.platform.kafka.EventPublisher;
import io.drawbridge.platform.kafka.EventSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * A delivery report Kafka cannot take is not lost: it waits in the spool and goes out later, once, with its event id.
 * The broker that is down is a real client pointed at a port nothing listens on; the one that is up is the embedded
 * broker.
 */
@WithEmbeddedInfrastructure
class DeliveryReportsIT {

    @TempDir
    Path spool;

    @Test
    void aReportKafkaCannotTakeIsSpooledAndSentLaterWithItsEventId() throws Exception {
        UUID grantId = UUID.randomUUID();
        DownloadCompleted report = new DownloadCompleted(
                grantId,
                UUID.randomUUID(),
                UUID.randomUUID(),
                0,
                10,
                10,
                "linux",
                "203.0.113.9",
                "curl/8",
                Instant.parse("2026-12-07T10:00:00Z"),
                Instant.parse("2026-12-07T10:00:01Z"));

        KafkaTemplate<String, Object> down = template("127.0.0.1:1");
        try {
            new DeliveryReports(new EventPublisher(down), spool).send(report).block(Duration.ofSeconds(30));
        } finally {
            down.destroy();
        }
        assertThat(Files.list(spool).map(p -> p.getFileName().toString()))
                .singleElement()
                .asString()
                .endsWith(".DownloadCompleted.json");

        String kafka = EmbeddedInfrastructureExtension.shared().endpoints().kafkaBootstrapServers();
        KafkaTemplate<String, Object> up = template(kafka);
        try {
            DeliveryReports reports = new DeliveryReports(new EventPublisher(up), spool);
            assertThat(reports.resend().block(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(reports.resend().block(Duration.ofSeconds(30))).isZero();
        } finally {
            up.destroy();
        }
        assertThat(Files.list(spool)).isEmpty();

        List<ConsumerRecord<String, Event>> delivered = consume(kafka, grantId);
        assertThat(delivered).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(report);
            assertThat(EventMetadata.from(record).eventType()).isEqualTo("DownloadCompleted");
        });
    }

    private static KafkaTemplate<String, Object> template(String bootstrap) {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                EventSerializer.class,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                2000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                3000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000)));
    }

    private static List<ConsumerRecord<String, Event>> consume(String bootstrap, UUID grantId) {
        List<ConsumerRecord<String, Event>> found = new ArrayList<>();
        try (KafkaConsumer<String, Event> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "reports-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                EventDeserializer.class))) {
            consumer.subscribe(List.of(Topics.DOWNLOADS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // Read until the topic's end has been reached once after the report (it was acknowledged before).
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (record.value() instanceof DownloadCompleted done && grantId.equals(done.grantId())) {
                        found.add(record);
                    }
                });
                if (!found.isEmpty()
                        && !consumer.assignment().isEmpty()
                        && consumer.assignment().stream()
                                .allMatch(partition -> consumer.position(partition)
                                        >= consumer.endOffsets(List.of(partition))
                                                .get(partition))) {
                    break;
                }
            }
        }
        return found;
    }
}
