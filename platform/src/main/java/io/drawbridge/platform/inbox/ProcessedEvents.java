package io.drawbridge.platform.inbox;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Makes a consumer's effect happen once per event although Kafka delivers at least once: the effect runs in one
 * transaction with the insert of a {@code processed_event (consumer, event_id)} row, and a row that is already
 * there means the event was applied before. A failing effect rolls back the row too, so the redelivery retries.
 */
public class ProcessedEvents {

    private static final int FORGET_BATCH = 5_000;

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    public ProcessedEvents(DatabaseClient database, TransactionalOperator transactions) {
        this.database = database;
        this.transactions = transactions;
    }

    /**
     * Marks a poll's worth of events processed by {@code consumer} in one statement, and answers which of them this
     * call marked: the ones seen for the first time, whose effects the caller must now apply in the same transaction
     * (so that a failing effect rolls the marks back too). Joins the caller's transaction if there is one.
     */
    public Mono<Set<UUID>> firstTimes(String consumer, Collection<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return Mono.just(Set.of());
        }
        return database.sql(
                        """
                        insert into processed_event (consumer, event_id, processed_at)
                        select :consumer, id, now() from unnest(:ids::uuid[]) as id
                        on conflict do nothing
                        returning event_id
                        """)
                .bind("consumer", consumer)
                .bind("ids", eventIds.stream().distinct().toArray(UUID[]::new))
                .map(row -> row.get("event_id", UUID.class))
                .all()
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Runs {@code effect} unless {@code consumer} already processed {@code eventId}; completes empty when it did.
     * Joins the caller's transaction if there is one. {@code effect} must be lazy (a cold {@code Mono}, e.g.
     * {@code Mono.defer(...)}): it is subscribed only for a first delivery.
     */
    public <T> Mono<T> once(String consumer, UUID eventId, Mono<T> effect) {
        return transactions.transactional(database.sql(
                        """
                        insert into processed_event (consumer, event_id, processed_at) values (:consumer, :eventId, now())
                        on conflict do nothing
                        """)
                .bind("consumer", consumer)
                .bind("eventId", eventId)
                .fetch()
                .rowsUpdated()
                .flatMap(inserted -> inserted > 0 ? effect : Mono.<T>empty()));
    }

    /**
     * Deletes the rows of events processed more than {@code age} ago, a batch at a time so that no statement holds
     * many row locks; how many were deleted. {@code age} must exceed how long an event can still be redelivered (the
     * topics' retention), or a very late redelivery would be applied again.
     */
    public Mono<Long> forgetOlderThan(Duration age) {
        return deleteBatch(age)
                .expand(deleted -> deleted < FORGET_BATCH ? Mono.empty() : deleteBatch(age))
                .reduce(0L, Long::sum);
    }

    private Mono<Long> deleteBatch(Duration age) {
        return database.sql(
                        """
                        delete from processed_event where ctid in (
                            select ctid from processed_event
                            where processed_at < now() - make_interval(secs => :seconds)
                            limit :batch)
                        """)
                .bind("seconds", (double) age.toSeconds())
                .bind("batch", FORGET_BATCH)
                .fetch()
                .rowsUpdated();
    }
}
