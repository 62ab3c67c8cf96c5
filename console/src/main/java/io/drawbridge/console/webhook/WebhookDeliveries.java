package io.drawbridge.console.webhook;

import io.drawbridge.platform.web.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The webhook outbox and its log: a delivery per (event, subscribed endpoint), claimed by the sender when due, every
 * attempt recorded, retried on the {@link RetrySchedule}, sent again by hand on request.
 */
@Service
public class WebhookDeliveries {

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final Clock clock = Clock.systemUTC();

    public WebhookDeliveries(DatabaseClient database, ReactiveTransactionManager transactions) {
        this.database = database;
        this.transactions = TransactionalOperator.create(transactions);
    }

    public record DeliveryView(
            UUID id,
            UUID endpointId,
            String endpointUrl,
            String eventType,
            Instant createdAt,
            String status,
            int attempts,
            Instant nextAttemptAt,
            Instant lastAttemptAt,
            Integer lastStatus,
            String lastError,
            Instant deliveredAt) {

        /** The last attempt's answer in words: the HTTP status, or what went wrong. */
        public String lastResponse() {
            if (lastStatus != null) {
                return "HTTP " + lastStatus;
            }
            return lastError == null ? "" : lastError;
        }
    }

    public record DeliveryPage(List<DeliveryView> items, int page, int size, long total) {}

    /** A due delivery the sender has claimed (until {@code lease} runs out). */
    record Due(UUID id, UUID endpointId, String url, byte[] sealedSecret, String payload, int attempts) {}

    /** How one attempt went: a 2xx is a success; anything else, or no answer, a failure. */
    record Attempt(Integer statusCode, String error, Duration took) {
        boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    /**
     * One pending delivery of {@code payload} to every endpoint that subscribed to {@code event}, is neither deleted
     * nor disabled and existed when the event happened; a second call for the same source event adds nothing.
     *
     * @return how many deliveries were added
     */
    public Mono<Long> enqueue(WebhookEvent event, UUID sourceEventId, String payload, Instant occurredAt) {
        Instant now = clock.instant();
        return database.sql("insert into webhook_delivery (id, endpoint_id, event_type, source_event_id, payload,"
                        + " created_at, status, attempts, next_attempt_at) select gen_random_uuid(), e.id, :type,"
                        + " :source, :payload, :now, 'pending', 0, :now from webhook_endpoint e where e.deleted_at is"
                        + " null and e.disabled_at is null and :type = any(e.events) and e.created_at <= :occurred"
                        + " on conflict (endpoint_id, source_event_id) do nothing")
                .bind("type", event.type())
                .bind("source", sourceEventId)
                .bind("payload", payload)
                .bind("now", now)
                .bind("occurred", occurredAt == null ? now : occurredAt)
                .fetch()
                .rowsUpdated();
    }

    /**
     * Claims up to {@code batch} due deliveries of enabled endpoints by moving their next attempt {@code lease} ahead
     * (skipping rows another instance holds): a sender that dies mid-attempt leaves them due again after the lease.
     */
    Flux<Due> claimDue(int batch, Duration lease) {
        Instant now = clock.instant();
        return database.sql("update webhook_delivery d set next_attempt_at = :until from webhook_endpoint e where"
                        + " e.id = d.endpoint_id and d.id in (select d2.id from webhook_delivery d2 join"
                        + " webhook_endpoint e2 on e2.id = d2.endpoint_id where d2.status = 'pending' and"
                        + " d2.next_attempt_at <= :now and e2.deleted_at is null and e2.disabled_at is null order by"
                        + " d2.next_attempt_at limit :batch for update of d2 skip locked) returning d.id,"
                        + " d.endpoint_id, e.url, e.secret_sealed, d.payload, d.attempts")
                .bind("until", now.plus(lease))
                .bind("now", now)
                .bind("batch", batch)
                .map(row -> new Due(
                        row.get("id", UUID.class),
                        row.get("endpoint_id", UUID.class),
                        row.get("url", String.class),
                        bytes(row.get("secret_sealed")),
                        row.get("payload", String.class),
                        row.get("attempts", Integer.class)))
                .all();
    }

    /**
     * Records an attempt and what follows from it, in one transaction: delivered; or due again after {@code retryIn};
     * or failed when no retry is left, which disables the endpoint if it has failed without a success since
     * {@code disableAfter} ago.
     */
    Mono<Void> record(Due due, Attempt attempt, Optional<Duration> retryIn, Duration disableAfter) {
        Instant now = clock.instant();
        int number = due.attempts() + 1;
        Mono<Long> log = database.sql("insert into webhook_attempt (delivery_id, attempt, attempted_at, status_code,"
                        + " error, duration_ms) values (:id, :attempt, :at, :status, :error, :ms) on conflict do"
                        + " nothing")
                .bind("id", due.id())
                .bind("attempt", number)
                .bind("at", now)
                .bind("status", SqlValues.integer(attempt.statusCode()))
                .bind("error", SqlValues.text(attempt.error()))
                .bind("ms", attempt.took().toMillis())
                .fetch()
                .rowsUpdated();
        String status = attempt.succeeded() ? "delivered" : retryIn.isPresent() ? "pending" : "failed";
        Mono<Long> delivery = database.sql("update webhook_delivery set status = :status, attempts = :attempt,"
                        + " last_attempt_at = :at, last_status = :code, last_error = :error, next_attempt_at = :next,"
                        + " delivered_at = :delivered where id = :id")
                .bind("status", status)
                .bind("attempt", number)
                .bind("at", now)
                .bind("code", SqlValues.integer(attempt.statusCode()))
                .bind("error", SqlValues.text(attempt.error()))
                .bind("next", SqlValues.instant(retryIn.map(now::plus).orElse(null)))
                .bind("delivered", SqlValues.instant(attempt.succeeded() ? now : null))
                .bind("id", due.id())
                .fetch()
                .rowsUpdated();
        Mono<Long> endpoint = attempt.succeeded()
                ? database.sql("update webhook_endpoint set failing_since = null where id = :id")
                        .bind("id", due.endpointId())
                        .fetch()
                        .rowsUpdated()
                : database.sql("update webhook_endpoint set failing_since = coalesce(failing_since, :now),"
                                + " disabled_at = case when :gaveUp and coalesce(failing_since, :now) <= :since then"
                                + " :now else disabled_at end, disabled_reason = case when :gaveUp and"
                                + " coalesce(failing_since, :now) <= :since then 'every delivery failed since ' ||"
                                + " coalesce(failing_since, :now) else disabled_reason end where id = :id")
                        .bind("now", now)
                        .bind("gaveUp", retryIn.isEmpty())
                        .bind("since", now.minus(disableAfter))
                        .bind("id", due.endpointId())
                        .fetch()
                        .rowsUpdated();
        return log.then(delivery).then(endpoint).then().as(transactions::transactional);
    }

    /** Newest first, optionally of one endpoint and/or one status. */
    public Mono<DeliveryPage> page(UUID endpointId, String status, int page, int size) {
        int pageSize = Math.min(Math.max(1, size), 200);
        int pageNumber = Math.max(0, page);
        String where = " where (cast(:endpoint as uuid) is null or d.endpoint_id = cast(:endpoint as uuid)) and"
                + " (:status = '' or d.status = :status)";
        String endpoint = endpointId == null ? null : endpointId.toString();
        String wanted = status == null ? "" : status.trim();
        Mono<Long> total = database.sql("select count(*) as n from webhook_delivery d" + where)
                .bind("endpoint", SqlValues.text(endpoint))
                .bind("status", wanted)
                .map(row -> row.get("n", Long.class))
                .one();
        Mono<List<DeliveryView>> items = database.sql("select d.*, e.url from webhook_delivery d join"
                        + " webhook_endpoint e on e.id = d.endpoint_id" + where
                        + " order by d.created_at desc, d.id limit :limit offset :offset")
                .bind("endpoint", SqlValues.text(endpoint))
                .bind("status", wanted)
                .bind("limit", pageSize)
                .bind("offset", (long) pageNumber * pageSize)
                .map(row -> new DeliveryView(
                        row.get("id", UUID.class),
                        row.get("endpoint_id", UUID.class),
                        row.get("url", String.class),
                        row.get("event_type", String.class),
                        row.get("created_at", Instant.class),
                        row.get("status", String.class),
                        row.get("attempts", Integer.class),
                        row.get("next_attempt_at", Instant.class),
                        row.get("last_attempt_at", Instant.class),
                        row.get("last_status", Integer.class),
                        row.get("last_error", String.class),
                        row.get("delivered_at", Instant.class)))
                .all()
                .collectList();
        return Mono.zip(items, total).map(both -> new DeliveryPage(both.getT1(), pageNumber, pageSize, both.getT2()));
    }

    /**
     * Sends a delivery again now, with the same webhook-id and body (a receiver that saw it can tell), as one more
     * attempt. 404 {@code webhook_delivery_not_found}; 409 {@code webhook_endpoint_unavailable} when its endpoint was
     * deleted or is disabled (enable it first).
     */
    public Mono<Void> redeliver(UUID id) {
        return database.sql("select e.deleted_at, e.disabled_at from webhook_delivery d join webhook_endpoint e on"
                        + " e.id = d.endpoint_id where d.id = :id")
                .bind("id", id)
                .map(row -> new Instant[] {row.get("deleted_at", Instant.class), row.get("disabled_at", Instant.class)})
                .one()
                .switchIfEmpty(Mono.error(new ProblemException(
                        HttpStatus.NOT_FOUND, "webhook_delivery_not_found", "No webhook delivery " + id + ".")))
                .flatMap(endpoint -> {
                    if (endpoint[0] != null || endpoint[1] != null) {
                        return Mono.error(new ProblemException(
                                HttpStatus.CONFLICT,
                                "webhook_endpoint_unavailable",
                                "The delivery's endpoint was "
                                        + (endpoint[0] != null ? "deleted." : "disabled; enable it first.")));
                    }
                    return database.sql("update webhook_delivery set status = 'pending', next_attempt_at = :now"
                                    + " where id = :id")
                            .bind("now", clock.instant())
                            .bind("id", id)
                            .fetch()
                            .rowsUpdated()
                            .then();
                });
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] array) {
            return array;
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] array = new byte[buffer.remaining()];
            buffer.get(array);
            return array;
        }
        throw new IllegalStateException("unexpected bytea value " + (value == null ? null : value.getClass()));
    }
}
