package io.drawbridge.order.stripe.persistence;

import io.drawbridge.order.stripe.domain.StripeEvent;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code webhook_receipts} table: one row per Stripe event id, inserted once whoever delivers it (webhook,
 * redelivery, reconciliation) and processed from the stored payload. The primary key on the event id is what makes
 * ten concurrent deliveries of one event a single receipt.
 */
@Repository
public class WebhookReceiptStore {

    private final DatabaseClient db;

    public WebhookReceiptStore(DatabaseClient db) {
        this.db = db;
    }

    /** A stored receipt that still needs processing. */
    public record PendingReceipt(String eventId, String source, String payload, int attempts) {}

    /** Stores the event unless its id is already there; true when this call stored it. */
    public Mono<Boolean> insertOnce(StripeEvent event, String source, String payload) {
        return db.sql(
                        """
                        INSERT INTO webhook_receipts (event_id, provider, event_type, source, livemode,
                                                      event_created_at, payload)
                        VALUES (:eventId, 'stripe', :type, :source, :livemode, :created, CAST(:payload AS jsonb))
                        ON CONFLICT (event_id) DO NOTHING
                        """)
                .bind("eventId", event.id())
                .bind("type", event.type())
                .bind("source", source)
                .bind("livemode", event.livemode())
                .bind("created", event.created())
                .bind("payload", payload)
                .fetch()
                .rowsUpdated()
                .map(n -> n > 0);
    }

    /** The receipt if it is not processed yet, without locking it. */
    public Mono<PendingReceipt> findPending(String eventId) {
        return db.sql(
                        """
                        SELECT event_id, source, payload::text AS payload, attempts
                          FROM webhook_receipts
                         WHERE event_id = :eventId AND processed_at IS NULL
                        """)
                .bind("eventId", eventId)
                .map(row -> new PendingReceipt(
                        row.get("event_id", String.class),
                        row.get("source", String.class),
                        row.get("payload", String.class),
                        row.get("attempts", Integer.class)))
                .one();
    }

    /**
     * Locks the receipt for processing in the current transaction; empty when it is processed already or another
     * worker holds it (that worker will process it).
     */
    public Mono<String> lockPending(String eventId) {
        return db.sql(
                        """
                        SELECT event_id FROM webhook_receipts
                         WHERE event_id = :eventId AND processed_at IS NULL
                           FOR UPDATE SKIP LOCKED
                        """)
                .bind("eventId", eventId)
                .map(row -> row.get("event_id", String.class))
                .one();
    }

    public Mono<Void> markProcessed(String eventId, String outcome) {
        return db.sql(
                        """
                        UPDATE webhook_receipts
                           SET processed_at = now(), outcome = :outcome, attempts = attempts + 1, last_error = NULL
                         WHERE event_id = :eventId
                        """)
                .bind("eventId", eventId)
                .bind("outcome", outcome)
                .fetch()
                .rowsUpdated()
                .then();
    }

    /** Records a failed attempt; {@code giveUp} closes the receipt with outcome {@code failed}. */
    public Mono<Void> markFailed(String eventId, Instant nextAttemptAt, String error, boolean giveUp) {
        return db.sql(
                        """
                        UPDATE webhook_receipts
                           SET attempts = attempts + 1, next_attempt_at = :next, last_error = :error,
                               processed_at = CASE WHEN :giveUp THEN now() ELSE NULL END,
                               outcome = CASE WHEN :giveUp THEN 'failed' ELSE NULL END
                         WHERE event_id = :eventId AND processed_at IS NULL
                        """)
                .bind("eventId", eventId)
                .bind("next", nextAttemptAt)
                .bind("error", error)
                .bind("giveUp", giveUp)
                .fetch()
                .rowsUpdated()
                .then();
    }

    /** Deletes up to {@code limit} receipts processed before {@code cutoff}; how many. Unprocessed ones stay. */
    public Mono<Long> deleteProcessedBefore(Instant cutoff, int limit) {
        return db.sql(
                        """
                        DELETE FROM webhook_receipts WHERE event_id IN (
                            SELECT event_id FROM webhook_receipts
                             WHERE processed_at IS NOT NULL AND processed_at < :cutoff
                             LIMIT :limit)
                        """)
                .bind("cutoff", cutoff)
                .bind("limit", limit)
                .fetch()
                .rowsUpdated();
    }

    /** Receipts due for (another) processing attempt, oldest Stripe event first. */
    public Flux<String> due(Instant now, int limit) {
        return db.sql(
                        """
                        SELECT event_id FROM webhook_receipts
                         WHERE processed_at IS NULL AND next_attempt_at <= :now
                         ORDER BY event_created_at, received_at
                         LIMIT :limit
                        """)
                .bind("now", now)
                .bind("limit", limit)
                .map(row -> row.get("event_id", String.class))
                .all();
    }
}
