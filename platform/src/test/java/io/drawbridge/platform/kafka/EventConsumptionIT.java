package io.drawbridge.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.embedded.InfrastructureEndpoints;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.FileDeleted;
import io.drawbridge.events.FileStored;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.testapp.PlatformIT;
import io.drawbridge.platform.testapp.PlatformTestApplication;
import io.drawbridge.platform.testapp.TestListeners;
import io.drawbridge.platform.testapp.TopicRecords;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

/** Listeners as services write them: typed by header, poison records to the dead-letter topic, unknown skipped. */
@PlatformIT
class EventConsumptionIT {

    private static final String TOPIC = PlatformTestApplication.POISON_TOPIC;

    @Autowired
    KafkaTemplate<String, Object> kafka;

    @Autowired
    EventPublisher publisher;

    @Autowired
    TestListeners listeners;

    @Autowired
    MeterRegistry meterRegistry;

    @Test
    void malformedPayloadGoesToTheDeadLetterTopicAndTheNextRecordIsStillConsumed(InfrastructureEndpoints endpoints) {
        String key = UUID.randomUUID().toString();
        ProducerRecord<String, Object> poison =
                new ProducerRecord<>(TOPIC, key, "{\"fileId\": not json".getBytes(StandardCharsets.UTF_8));
        poison.headers().add(EventHeaders.EVENT_TYPE, "FileStored".getBytes(StandardCharsets.UTF_8));
        poison.headers().add(EventHeaders.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        kafka.send(poison).join();
        kafka.send(new ProducerRecord<>(TOPIC, key, stored(key))).join();

        await().atMost(Duration.ofSeconds(30)).until(() -> receivedFor(key).size() == 1);
        assertThat(receivedFor(key).get(0).event()).isEqualTo(stored(key));
        try (TopicRecords deadLetters = new TopicRecords(endpoints.kafkaBootstrapServers(), Topics.dlt(TOPIC))) {
            ConsumerRecord<String, byte[]> deadLetter = deadLetters
                    .awaitMatching(record -> key.equals(record.key()), matching -> !matching.isEmpty())
                    .get(0);
            assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"fileId\": not json");
            assertThat(EventMetadata.text(deadLetter.headers(), EventHeaders.EVENT_TYPE))
                    .isEqualTo("FileStored");
            assertThat(EventMetadata.text(deadLetter.headers(), "kafka_dlt-original-topic"))
                    .isEqualTo(TOPIC);
        }
        assertThat(meterRegistry
                        .get("drawbridge.events.dead.lettered")
                        .tag("topic", TOPIC)
                        .counter()
                        .count())
                .isPositive();
    }

    @Test
    void recordTheListenerKeepsFailingOnGoesToTheDeadLetterTopicAfterRetries(InfrastructureEndpoints endpoints) {
        String key = UUID.randomUUID().toString();
        kafka.send(new ProducerRecord<>(TOPIC, key, new FileDeleted(UUID.fromString(key), "fail", Instant.EPOCH)))
                .join();
        kafka.send(new ProducerRecord<>(TOPIC, key, stored(key))).join();

        await().atMost(Duration.ofSeconds(30)).until(() -> receivedFor(key).size() == 1);
        try (TopicRecords deadLetters = new TopicRecords(endpoints.kafkaBootstrapServers(), Topics.dlt(TOPIC))) {
            ConsumerRecord<String, byte[]> deadLetter = deadLetters
                    .awaitMatching(record -> key.equals(record.key()), matching -> !matching.isEmpty())
                    .get(0);
            assertThat(EventMetadata.text(deadLetter.headers(), EventHeaders.EVENT_TYPE))
                    .isEqualTo("FileDeleted");
            assertThat(EventMetadata.text(deadLetter.headers(), "kafka_dlt-exception-message"))
                    .contains("cannot apply");
            assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).contains("\"objectKey\":\"fail\"");
        }
    }

    @Test
    void aRecordThatFailsWhileTheDatabaseIsAwayIsRetriedUntilItPassesNotDeadLettered(
            InfrastructureEndpoints endpoints) {
        String key = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        // Six failures: twice the three retries that used to send such a record to the dead-letter topic.
        ProducerRecord<String, Object> record =
                new ProducerRecord<>(TOPIC, key, new FileDeleted(UUID.fromString(key), "unavailable-6", Instant.EPOCH));
        record.headers().add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.EVENT_TYPE, "FileDeleted".getBytes(StandardCharsets.UTF_8));
        kafka.send(record).join();

        await().atMost(Duration.ofSeconds(90)).until(() -> receivedFor(key).size() == 1);
        assertThat(listeners.attempts(eventId)).isEqualTo(7);
        try (TopicRecords deadLetters = new TopicRecords(endpoints.kafkaBootstrapServers(), Topics.dlt(TOPIC))) {
            assertThat(deadLetters.drain(candidate -> key.equals(candidate.key())))
                    .isEmpty();
        }
    }

    @Test
    void replayingTheDeadLetterTopicSendsItsRecordsBackWithTheirEventHeadersOnlyOnce(
            InfrastructureEndpoints endpoints) {
        String key = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        ProducerRecord<String, Object> deadLetter = new ProducerRecord<>(Topics.dlt(TOPIC), key, stored(key));
        deadLetter.headers().add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        deadLetter.headers().add(EventHeaders.EVENT_TYPE, "FileStored".getBytes(StandardCharsets.UTF_8));
        deadLetter.headers().add("kafka_dlt-original-topic", TOPIC.getBytes(StandardCharsets.UTF_8));
        deadLetter.headers().add("kafka_dlt-exception-message", "was down".getBytes(StandardCharsets.UTF_8));
        kafka.send(deadLetter).join();

        DeadLetterReplay.Result first =
                DeadLetterReplay.replay(endpoints.kafkaBootstrapServers(), Topics.dlt(TOPIC), false, Map.of());

        assertThat(first.replayed()).isPositive();
        await().atMost(Duration.ofSeconds(90)).until(() -> receivedFor(key).size() == 1);
        assertThat(receivedFor(key).get(0).eventId()).isEqualTo(eventId);
        try (TopicRecords source = new TopicRecords(endpoints.kafkaBootstrapServers(), TOPIC)) {
            ConsumerRecord<String, byte[]> replayed = source.awaitMatching(
                            record -> key.equals(record.key()), matching -> !matching.isEmpty())
                    .get(0);
            assertThat(replayed.headers().lastHeader("kafka_dlt-exception-message"))
                    .isNull();
        }
        // Run again: nothing new arrived on the dead-letter topic, so nothing is sent twice.
        assertThat(DeadLetterReplay.replay(endpoints.kafkaBootstrapServers(), Topics.dlt(TOPIC), false, Map.of())
                        .replayed())
                .isZero();
    }

    @Test
    void eventOfATypeThisBuildDoesNotKnowIsSkipped(InfrastructureEndpoints endpoints) {
        String key = UUID.randomUUID().toString();
        ProducerRecord<String, Object> fromTheFuture =
                new ProducerRecord<>(TOPIC, key, "{\"fileId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        fromTheFuture.headers().add(EventHeaders.EVENT_TYPE, "FileQuarantined".getBytes(StandardCharsets.UTF_8));
        fromTheFuture
                .headers()
                .add(EventHeaders.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        kafka.send(fromTheFuture).join();
        kafka.send(new ProducerRecord<>(TOPIC, key, stored(key))).join();

        await().atMost(Duration.ofSeconds(30)).until(() -> receivedFor(key).size() == 1);
        assertThat(receivedFor(key).get(0).event()).isInstanceOf(FileStored.class);
        try (TopicRecords deadLetters = new TopicRecords(endpoints.kafkaBootstrapServers(), Topics.dlt(TOPIC))) {
            assertThat(deadLetters.drain(record -> key.equals(record.key()))).isEmpty();
        }
    }

    @Test
    void publisherSendsToTheCatalogTopicWithKeyAndStandardHeaders(InfrastructureEndpoints endpoints) {
        UUID fileId = UUID.randomUUID();
        FileDeleted event = new FileDeleted(fileId, "files/" + fileId, Instant.parse("2025-03-01T10:00:00Z"));

        publisher.publish(event).block(Duration.ofSeconds(30));

        try (TopicRecords files = new TopicRecords(endpoints.kafkaBootstrapServers(), Topics.FILES)) {
            ConsumerRecord<String, byte[]> record = files.awaitMatching(
                            candidate -> fileId.toString().equals(candidate.key()), matching -> !matching.isEmpty())
                    .get(0);
            EventMetadata metadata = EventMetadata.from(record);
            assertThat(metadata.eventType()).isEqualTo("FileDeleted");
            assertThat(metadata.eventVersion()).isEqualTo(1);
            assertThat(metadata.eventId()).isNotNull();
            assertThat(metadata.occurredAt()).isNotNull();
            assertThat(metadata.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            assertThat(new String(record.value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"fileId\":\"" + fileId + "\",\"objectKey\":\"files/" + fileId
                            + "\",\"deletedAt\":\"2025-03-01T10:00:00Z\"}");
            assertThat(record.headers().lastHeader("__TypeId__")).isNull();
        }
    }

    @Test
    void outboxBacklogAndAgeAreExportedAsGauges() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meterRegistry.find("drawbridge.outbox.backlog").gauge() != null);
        assertThat(meterRegistry.find("drawbridge.outbox.oldest.age").gauge()).isNotNull();
    }

    private List<TestListeners.Received> receivedFor(String key) {
        return listeners.poisonTopic().stream()
                .filter(received -> key.equals(received.key()))
                .toList();
    }

    private static FileStored stored(String key) {
        return new FileStored(
                UUID.fromString(key),
                "files/" + key,
                "a.zip",
                10,
                "00",
                "00",
                "application/zip",
                "clean",
                Instant.parse("2025-03-01T10:00:00Z"));
    }
}
