package io.drawbridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.embedded.InfrastructureEndpoints;
import io.drawbridge.embedded.WithEmbeddedInfrastructure;
import io.drawbridge.events.Event;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.FileDeleted;
import io.drawbridge.events.FileStored;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.platform.kafka.EventSerializer;
import io.drawbridge.platform.testapp.PlatformTestApplication;
import io.drawbridge.platform.testapp.TopicRecords;
import io.r2dbc.spi.ConnectionFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The outbox against real PostgreSQL and Kafka. Relays are driven by hand (the context's own is off) so a test can
 * stop one mid-batch or give it a broker that is not there.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(
        classes = PlatformTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "drawbridge.outbox.relay-enabled=false",
            "platform-it.schema=platform_outbox_it",
            "platform-it.listeners=false"
        })
class OutboxIT {

    @Autowired
    Outbox outbox;

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    ReactiveTransactionManager transactionManager;

    @Autowired
    KafkaTemplate<String, Object> kafka;

    DatabaseClient database;
    TransactionalOperator transactions;

    @BeforeEach
    void setUp() {
        database = DatabaseClient.create(connectionFactory);
        transactions = TransactionalOperator.create(transactionManager);
    }

    @Test
    void appendedEventIsRolledBackWithTheBusinessChange() {
        FileDeleted event = new FileDeleted(UUID.randomUUID(), "files/x", Instant.now());

        StepVerifier.create(transactions.transactional(
                        outbox.append(event).then(Mono.error(new IllegalStateException("business rule")))))
                .expectErrorMessage("business rule")
                .verify();

        assertThat(rowsFor(Set.of(event.key()))).isZero();
        transactions.transactional(outbox.append(event)).block(Duration.ofSeconds(10));
        assertThat(rowsFor(Set.of(event.key()))).isEqualTo(1);
    }

    @Test
    void relayStoppedMidBatchLeavesNothingLostAndTheNextRelayKeepsEachAggregatesOrder(
            InfrastructureEndpoints endpoints) {
        List<UUID> files = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        Set<String> keys = keysOf(files);
        appendInSeparateTransactions(eventsFor(files, 30));
        Map<String, List<String>> expected = appendOrderByKey(keys);

        StallingTemplate stalling = new StallingTemplate(kafka.getProducerFactory(), 14);
        OutboxRelay first = new OutboxRelay(database, transactions, stalling, properties(10));
        first.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> stalling.attempts() > 14);
        first.stop();
        // The first batch of 10 was acknowledged and marked; of the second, 4 reached the broker unmarked.
        await().atMost(Duration.ofSeconds(10)).until(() -> unsentFor(keys) == 20);

        OutboxRelay second = new OutboxRelay(database, transactions, kafka, properties(10));
        second.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> unsentFor(keys) == 0);
        } finally {
            second.stop();
        }

        try (TopicRecords topic = new TopicRecords(endpoints.kafkaBootstrapServers(), Topics.FILES)) {
            List<ConsumerRecord<String, byte[]>> records = topic.awaitMatching(
                    record -> keys.contains(record.key()), matching -> distinctEventIds(matching) == 30);
            assertThat(firstOccurrenceOrderByKey(records)).isEqualTo(expected);
            assertThat(topic.drain(record -> keys.contains(record.key())))
                    .as("30 events, of which the 4 sent before the stop were sent again")
                    .hasSize(34);
        }
    }

    @Test
    void brokerOutageOnlyDelaysTheEventsAndReportsTheBacklog(InfrastructureEndpoints endpoints) throws Exception {
        List<UUID> files = List.of(UUID.randomUUID(), UUID.randomUUID());
        Set<String> keys = keysOf(files);
        appendInSeparateTransactions(eventsFor(files, 6));
        Map<String, List<String>> expected = appendOrderByKey(keys);

        DefaultKafkaProducerFactory<String, Object> unreachable = producerFactoryFor("127.0.0.1:" + closedPort());
        try {
            OutboxRelay duringOutage =
                    new OutboxRelay(database, transactions, new KafkaTemplate<>(unreachable), properties(10));

            StepVerifier.create(duringOutage.relayOnce()).expectError().verify(Duration.ofSeconds(30));
            StepVerifier.create(duringOutage.relayOnce()).expectError().verify(Duration.ofSeconds(30));

            assertThat(unsentFor(keys)).isEqualTo(6);
            assertThat(duringOutage.backlog()).isGreaterThanOrEqualTo(6);
            assertThat(duringOutage.oldestUnsentAge()).isPositive();
        } finally {
            unreachable.destroy();
        }

        OutboxRelay afterOutage = new OutboxRelay(database, transactions, kafka, properties(10));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            afterOutage.relayOnce().block(Duration.ofSeconds(30));
            return unsentFor(keys) == 0;
        });
        assertThat(afterOutage.backlog()).isZero();
        assertThat(afterOutage.oldestUnsentAge()).isZero();

        try (TopicRecords topic = new TopicRecords(endpoints.kafkaBootstrapServers(), Topics.FILES)) {
            List<ConsumerRecord<String, byte[]>> records =
                    topic.awaitMatching(record -> keys.contains(record.key()), matching -> matching.size() >= 6);
            assertThat(firstOccurrenceOrderByKey(records)).isEqualTo(expected);
            assertThat(topic.drain(record -> keys.contains(record.key()))).hasSize(6);
            ConsumerRecord<String, byte[]> first = records.get(0);
            EventMetadata metadata = EventMetadata.from(first);
            assertThat(metadata.eventType()).isIn("FileStored", "FileDeleted");
            assertThat(metadata.eventVersion()).isEqualTo(1);
            assertThat(metadata.occurredAt()).isNotNull();
            assertThat(metadata.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            assertThat(first.headers().lastHeader("__TypeId__")).isNull();
        }
    }

    @Test
    void onlyOneRelayOfAServiceSendsAtATime() {
        UUID file = UUID.randomUUID();
        appendInSeparateTransactions(eventsFor(List.of(file), 3));
        OutboxRelay relay = new OutboxRelay(database, transactions, kafka, properties(10));

        Integer sentWhileLocked = transactions
                .transactional(
                        database.sql("select pg_advisory_xact_lock(hashtext(current_schema() || '.outbox_relay'))")
                                .fetch()
                                .rowsUpdated()
                                // A relay round of its own (another connection), while this transaction holds the lock.
                                .then(Mono.fromCallable(() -> relay.relayOnce().block(Duration.ofSeconds(30)))
                                        .subscribeOn(Schedulers.boundedElastic())))
                .block(Duration.ofSeconds(30));

        assertThat(sentWhileLocked).isZero();
        assertThat(unsentFor(Set.of(file.toString()))).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            relay.relayOnce().block(Duration.ofSeconds(30));
            return unsentFor(Set.of(file.toString())) == 0;
        });
    }

    private static List<Event> eventsFor(List<UUID> files, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID file = files.get(i % files.size());
            events.add(
                    i % 4 == 3
                            ? new FileDeleted(file, "files/" + file + "/" + i, Instant.now())
                            : new FileStored(
                                    file,
                                    "files/" + file + "/" + i,
                                    "v" + i + ".zip",
                                    i,
                                    "00",
                                    "00",
                                    "application/zip",
                                    "clean",
                                    Instant.now()));
        }
        return events;
    }

    private void appendInSeparateTransactions(List<Event> events) {
        for (Event event : events) {
            transactions.transactional(outbox.append(event)).block(Duration.ofSeconds(10));
        }
    }

    private Map<String, List<String>> appendOrderByKey(Set<String> keys) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        database.sql("select message_key, event_id from outbox where message_key = any(:keys) order by id")
                .bind("keys", keys.toArray(String[]::new))
                .map(row -> Map.entry(
                        row.get("message_key", String.class),
                        row.get("event_id", UUID.class).toString()))
                .all()
                .toIterable()
                .forEach(entry -> byKey.computeIfAbsent(entry.getKey(), key -> new ArrayList<>())
                        .add(entry.getValue()));
        return byKey;
    }

    private static Map<String, List<String>> firstOccurrenceOrderByKey(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Set<String>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byKey.computeIfAbsent(record.key(), key -> new LinkedHashSet<>())
                    .add(EventMetadata.text(record.headers(), EventHeaders.EVENT_ID));
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        byKey.forEach((key, ids) -> ordered.put(key, List.copyOf(ids)));
        return ordered;
    }

    private static long distinctEventIds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .map(record -> EventMetadata.text(record.headers(), EventHeaders.EVENT_ID))
                .distinct()
                .count();
    }

    private long rowsFor(Set<String> keys) {
        return count("select count(*) as n from outbox where message_key = any(:keys)", keys);
    }

    private long unsentFor(Set<String> keys) {
        return count("select count(*) as n from outbox where message_key = any(:keys) and sent_at is null", keys);
    }

    private long count(String sql, Set<String> keys) {
        return database.sql(sql)
                .bind("keys", keys.toArray(String[]::new))
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }

    private static Set<String> keysOf(List<UUID> files) {
        Set<String> keys = new LinkedHashSet<>();
        files.forEach(file -> keys.add(file.toString()));
        return keys;
    }

    private static OutboxProperties properties(int batchSize) {
        return new OutboxProperties(
                true,
                batchSize,
                Duration.ofMillis(50),
                Duration.ofMillis(200),
                // Far beyond the test's waits: a stopped relay must release its rows by rolling back, not time out.
                Duration.ofMinutes(5),
                Duration.ofDays(7));
    }

    private static DefaultKafkaProducerFactory<String, Object> producerFactoryFor(String bootstrapServers) {
        return new DefaultKafkaProducerFactory<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 500,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 500,
                        ProducerConfig.LINGER_MS_CONFIG, 0,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1000),
                new StringSerializer(),
                new EventSerializer());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A real producer that stops answering after a number of sends, like a relay process that dies while the
     * broker still holds what it already sent.
     */
    static final class StallingTemplate extends KafkaTemplate<String, Object> {

        private final int answered;
        private final AtomicInteger attempts = new AtomicInteger();

        StallingTemplate(ProducerFactory<String, Object> producerFactory, int answered) {
            super(producerFactory);
            this.answered = answered;
        }

        @Override
        public CompletableFuture<SendResult<String, Object>> send(ProducerRecord<String, Object> record) {
            if (attempts.incrementAndGet() > answered) {
                return new CompletableFuture<>();
            }
            return super.send(record);
        }

        int attempts() {
            return attempts.get();
        }
    }
}
