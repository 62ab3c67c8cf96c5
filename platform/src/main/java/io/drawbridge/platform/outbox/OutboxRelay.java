package io.drawbridge.platform.outbox;

import io.drawbridge.platform.kafka.EventMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Moves committed outbox rows to Kafka. Each round, in one database transaction: take this schema's relay
 * advisory lock ({@code pg_try_advisory_xact_lock}, so only one instance of a service relays at a time and the
 * order of rows is the order on the wire), read a small batch of unsent rows in id order, send them with the
 * idempotent acks=all producer, wait for the acknowledgements, and mark the acknowledged prefix sent.
 *
 * <p>A broker outage only delays: the round fails, nothing is marked and the rows are retried after {@code
 * error-backoff}. A crash after sending but before committing resends those rows: delivery is at least once and
 * consumers dedupe on the event id. All of it runs on the relay's own thread, never on a Netty event loop (the
 * producer may block while the broker is away).
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration CLEANUP_INTERVAL = Duration.ofHours(1);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final KafkaOperations<String, Object> kafka;
    private final OutboxProperties properties;
    private final Clock clock;
    private final Scheduler scheduler;

    private final AtomicLong backlog = new AtomicLong();
    private final AtomicReference<Instant> oldestUnsent = new AtomicReference<>();
    // Separate slots: the timer of the next round and the round in flight are set from different threads.
    private volatile Disposable nextRound;
    private volatile Disposable roundInFlight;
    private volatile boolean running;
    private volatile Instant lastCleanup = Instant.EPOCH;

    public OutboxRelay(
            DatabaseClient database,
            TransactionalOperator transactions,
            KafkaOperations<String, Object> kafka,
            OutboxProperties properties) {
        this(database, transactions, kafka, properties, Clock.systemUTC());
    }

    OutboxRelay(
            DatabaseClient database,
            TransactionalOperator transactions,
            KafkaOperations<String, Object> kafka,
            OutboxProperties properties,
            Clock clock) {
        this.database = database;
        this.transactions = transactions;
        this.kafka = kafka;
        this.properties = properties;
        this.clock = clock;
        this.scheduler = Schedulers.newSingle("outbox-relay", true);
    }

    /**
     * One round: sends at most one batch and returns how many rows it marked sent (0 when the outbox is empty or
     * another instance holds the lock). Fails when the broker or the database does, leaving the rows unsent.
     */
    public Mono<Integer> relayOnce() {
        return transactions
                .transactional(tryLock().flatMap(locked -> locked ? sendBatch() : Mono.just(0)))
                .publishOn(scheduler)
                .flatMap(sent -> cleanupIfDue().thenReturn(sent))
                .onErrorResume(error ->
                        refreshBacklog().onErrorResume(ignored -> Mono.empty()).then(Mono.error(error)))
                .flatMap(sent -> refreshBacklog().thenReturn(sent));
    }

    /** Unsent rows, as of the last round. */
    public long backlog() {
        return backlog.get();
    }

    /** Age of the oldest unsent row as of now, zero when none was unsent at the last round. */
    public Duration oldestUnsentAge() {
        Instant oldest = oldestUnsent.get();
        return oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant());
    }

    @Override
    public void start() {
        running = true;
        schedule(Duration.ZERO);
    }

    @Override
    public void stop() {
        running = false;
        dispose(nextRound);
        dispose(roundInFlight);
    }

    /** Stops relaying for good and releases the relay's thread (Spring calls it when the context closes). */
    public void close() {
        stop();
        scheduler.dispose();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void schedule(Duration delay) {
        if (running) {
            nextRound = scheduler.schedule(this::round, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs on the relay thread; the round itself subscribes there too, so it starts only after this returns. */
    private void round() {
        if (!running) {
            return;
        }
        Disposable round = relayOnce()
                .subscribeOn(scheduler)
                .subscribe(
                        sent -> schedule(sent >= properties.batchSize() ? Duration.ZERO : properties.pollInterval()),
                        error -> {
                            log.warn(
                                    "Outbox relay round failed, retrying in {}: {}",
                                    properties.errorBackoff(),
                                    error.toString());
                            schedule(properties.errorBackoff());
                        });
        roundInFlight = round;
        if (!running) {
            round.dispose();
        }
    }

    private static void dispose(Disposable disposable) {
        if (disposable != null) {
            disposable.dispose();
        }
    }

    private Mono<Boolean> tryLock() {
        return database.sql("select pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox_relay')) as locked")
                .map(row -> Boolean.TRUE.equals(row.get("locked", Boolean.class)))
                .one();
    }

    private Mono<Integer> sendBatch() {
        return database.sql(
                        """
                        select id, event_id, event_type, event_version, topic, message_key, payload::text as payload,
                               traceparent, occurred_at
                        from outbox where sent_at is null order by id limit :limit
                        """)
                .bind("limit", properties.batchSize())
                .map(row -> new OutboxRow(
                        row.get("id", Long.class),
                        row.get("event_id", UUID.class),
                        row.get("event_type", String.class),
                        row.get("event_version", Integer.class),
                        row.get("topic", String.class),
                        row.get("message_key", String.class),
                        row.get("payload", String.class),
                        row.get("traceparent", String.class),
                        row.get("occurred_at", OffsetDateTime.class).toInstant()))
                .all()
                .collectList()
                .publishOn(scheduler)
                .flatMap(rows -> rows.isEmpty() ? Mono.just(0) : send(rows).flatMap(this::markSent));
    }

    /** Sends in id order and completes with the ids of the longest prefix the broker acknowledged. */
    private Mono<List<Long>> send(List<OutboxRow> rows) {
        List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            try {
                acks.add(kafka.send(row.toRecord()));
            } catch (RuntimeException e) {
                // The producer could not even queue it (e.g. no metadata while the broker is away): later rows
                // must not overtake it.
                acks.add(CompletableFuture.failedFuture(e));
                break;
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(
                acks.stream().map(ack -> ack.handle((result, error) -> null)).toArray(CompletableFuture[]::new));
        return Mono.fromFuture(all)
                .timeout(properties.sendTimeout(), scheduler)
                .publishOn(scheduler)
                .then(Mono.fromCallable(() -> acknowledgedPrefix(rows, acks)));
    }

    private static List<Long> acknowledgedPrefix(List<OutboxRow> rows, List<CompletableFuture<?>> acks) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < acks.size(); i++) {
            CompletableFuture<?> ack = acks.get(i);
            if (ack.isCompletedExceptionally() || ack.isCancelled()) {
                Throwable cause = ack.handle((result, error) -> error).join();
                if (ids.isEmpty()) {
                    throw new IllegalStateException(
                            "broker did not acknowledge outbox row "
                                    + rows.get(i).id(),
                            cause);
                }
                log.warn(
                        "Outbox row {} not acknowledged, {} earlier rows were: {}",
                        rows.get(i).id(),
                        ids.size(),
                        cause.toString());
                break;
            }
            ids.add(rows.get(i).id());
        }
        return ids;
    }

    private Mono<Integer> markSent(List<Long> ids) {
        return database.sql("update outbox set sent_at = now() where id = any(:ids)")
                .bind("ids", ids.toArray(Long[]::new))
                .fetch()
                .rowsUpdated()
                .map(Long::intValue);
    }

    private Mono<Void> cleanupIfDue() {
        Instant now = clock.instant();
        if (Duration.between(lastCleanup, now).compareTo(CLEANUP_INTERVAL) < 0) {
            return Mono.empty();
        }
        lastCleanup = now;
        return database.sql("delete from outbox where sent_at < :cutoff")
                .bind("cutoff", now.minus(properties.retention()).atOffset(java.time.ZoneOffset.UTC))
                .fetch()
                .rowsUpdated()
                .doOnNext(deleted -> {
                    if (deleted > 0) {
                        log.info("Deleted {} outbox rows sent before {}", deleted, properties.retention());
                    }
                })
                .then();
    }

    private Mono<Void> refreshBacklog() {
        return database.sql("select count(*) as backlog, min(created_at) as oldest from outbox where sent_at is null")
                .map(row -> {
                    Long count = row.get("backlog", Long.class);
                    OffsetDateTime oldest = row.get("oldest", OffsetDateTime.class);
                    backlog.set(count == null ? 0 : count);
                    oldestUnsent.set(oldest == null ? null : oldest.toInstant());
                    return count;
                })
                .one()
                .then();
    }

    record OutboxRow(
            long id,
            UUID eventId,
            String eventType,
            int eventVersion,
            String topic,
            String key,
            String payload,
            String traceparent,
            Instant occurredAt) {

        ProducerRecord<String, Object> toRecord() {
            ProducerRecord<String, Object> record =
                    new ProducerRecord<>(topic, null, key, payload.getBytes(StandardCharsets.UTF_8));
            new EventMetadata(eventId, eventType, eventVersion, occurredAt, traceparent).toHeaders(record.headers());
            return record;
        }
    }
}
