package io.drawbridge.platform.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.FileStored;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.platform.testapp.PlatformIT;
import io.drawbridge.platform.testapp.PlatformTestApplication;
import io.drawbridge.platform.testapp.TestListeners;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@PlatformIT
class ProcessedEventsIT {

    @Autowired
    ProcessedEvents processedEvents;

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    KafkaTemplate<String, Object> kafka;

    @Autowired
    TestListeners listeners;

    DatabaseClient database;

    @BeforeEach
    void setUp() {
        database = DatabaseClient.create(connectionFactory);
    }

    @Test
    void secondDeliveryOfAnEventSkipsTheEffect() {
        UUID eventId = UUID.randomUUID();
        String note = "direct-" + eventId;

        StepVerifier.create(processedEvents.once("it-direct", eventId, effect("it-direct", note)))
                .expectNext(1L)
                .verifyComplete();
        StepVerifier.create(processedEvents.once("it-direct", eventId, effect("it-direct", note)))
                .verifyComplete();

        assertThat(effects(note)).isEqualTo(1);
    }

    @Test
    void firstTimesAnswersOnlyTheEventsNotSeenBeforeEvenWhenAPollRepeatsOne() {
        UUID seen = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        processedEvents.once("it-batch", seen, Mono.just(1)).block(Duration.ofSeconds(10));

        Set<UUID> first = processedEvents
                .firstTimes("it-batch", List.of(seen, fresh, fresh))
                .block(Duration.ofSeconds(10));
        Set<UUID> again =
                processedEvents.firstTimes("it-batch", List.of(seen, fresh)).block(Duration.ofSeconds(10));

        assertThat(first).containsExactly(fresh);
        assertThat(again).isEmpty();
        assertThat(processedEvents.firstTimes("it-batch", List.of()).block(Duration.ofSeconds(10)))
                .isEmpty();
    }

    @Test
    void anotherConsumerAppliesTheSameEventToo() {
        UUID eventId = UUID.randomUUID();
        String note = "two-consumers-" + eventId;

        processedEvents.once("it-first", eventId, effect("it-first", note)).block(Duration.ofSeconds(10));
        processedEvents.once("it-second", eventId, effect("it-second", note)).block(Duration.ofSeconds(10));

        assertThat(effects(note)).isEqualTo(2);
    }

    @Test
    void failedEffectIsNotRecordedAsProcessedSoTheRedeliveryApplies() {
        UUID eventId = UUID.randomUUID();
        String note = "retry-" + eventId;

        StepVerifier.create(processedEvents.once(
                        "it-retry",
                        eventId,
                        effect("it-retry", note).then(Mono.error(new IllegalStateException("downstream failed")))))
                .expectErrorMessage("downstream failed")
                .verify();
        assertThat(effects(note)).isZero();

        StepVerifier.create(processedEvents.once("it-retry", eventId, effect("it-retry", note)))
                .expectNext(1L)
                .verifyComplete();
        assertThat(effects(note)).isEqualTo(1);
    }

    @Test
    void redeliveredKafkaRecordIsAppliedOnce() {
        String key = UUID.randomUUID().toString();
        ProducerRecord<String, Object> record = new ProducerRecord<>(
                PlatformTestApplication.INBOX_TOPIC,
                key,
                new FileStored(
                        UUID.fromString(key), "k", "n", 1, "00", "00", "application/zip", "clean", Instant.now()));
        EventMetadata.forNew((FileStored) record.value(), null).toHeaders(record.headers());

        kafka.send(record).join();
        kafka.send(new ProducerRecord<>(record.topic(), null, record.key(), record.value(), record.headers()))
                .join();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> Collections.frequency(listeners.inboxDeliveries(), key) == 2);
        assertThat(effects(key)).isEqualTo(1);
    }

    @Test
    void rowsPastTheirRetentionAreForgottenAndRecentOnesKept() {
        String consumer = "it-retention-" + UUID.randomUUID();
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        processedEvents.once(consumer, old, Mono.just(1)).block(Duration.ofSeconds(10));
        processedEvents.once(consumer, recent, Mono.just(1)).block(Duration.ofSeconds(10));
        database.sql("update processed_event set processed_at = now() - interval '15 days' where event_id = :id")
                .bind("id", old)
                .fetch()
                .rowsUpdated()
                .block(Duration.ofSeconds(10));

        Long deleted = processedEvents.forgetOlderThan(Duration.ofDays(14)).block(Duration.ofSeconds(10));

        assertThat(deleted).isGreaterThanOrEqualTo(1);
        assertThat(rowsOf(consumer)).containsExactly(recent);
        // The recent one is still recognised as processed.
        StepVerifier.create(processedEvents.once(consumer, recent, Mono.just(2)))
                .verifyComplete();
    }

    private List<UUID> rowsOf(String consumer) {
        return database.sql("select event_id from processed_event where consumer = :consumer")
                .bind("consumer", consumer)
                .map(row -> row.get("event_id", UUID.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
    }

    private Mono<Long> effect(String consumer, String note) {
        return Mono.defer(() -> database.sql("insert into it_effect (consumer, note) values (:consumer, :note)")
                .bind("consumer", consumer)
                .bind("note", note)
                .fetch()
                .rowsUpdated());
    }

    private long effects(String note) {
        return database.sql("select count(*) as n from it_effect where note = :note")
                .bind("note", note)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }
}
