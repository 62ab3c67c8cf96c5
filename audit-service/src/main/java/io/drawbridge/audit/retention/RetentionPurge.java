package io.drawbridge.audit.retention;

import io.drawbridge.audit.config.AuditProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes what is older than the retention periods ({@code drawbridge.audit.retention.*}): download log rows and
 * the facts they were built from (requests, responses, grant settlements) after {@code download-logs} (default 400
 * days, by start), audit trail rows after {@code audit-events} (by occurred_at). Deletes run in batches so a purge never locks a table for long; several
 * instances purging at once only share the work.
 */
@Component
public class RetentionPurge {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

    private final DatabaseClient database;
    private final AuditProperties.Retention retention;
    private final Clock clock;
    private final MeterRegistry registry;

    RetentionPurge(DatabaseClient database, AuditProperties properties, Clock clock, MeterRegistry registry) {
        this.database = database;
        this.retention = properties.retention();
        this.clock = clock;
        this.registry = registry;
    }

    /** Rows deleted by one purge, per table. */
    public record Purged(
            long downloadLogs, long requests, long deliveries, long settlements, long tokens, long auditEvents) {}

    @Scheduled(
            initialDelayString = "${drawbridge.audit.retention.initial-delay:PT1M}",
            fixedDelayString = "${drawbridge.audit.retention.purge-interval:PT1H}")
    Mono<Void> scheduled() {
        return purge().doOnNext(purged -> log.info("Retention purge deleted {}", purged))
                .onErrorResume(e -> {
                    log.warn("Retention purge failed; retrying at the next interval", e);
                    return Mono.empty();
                })
                .then();
    }

    /** Deletes everything older than the retention periods, as of now. */
    public Mono<Purged> purge() {
        Instant now = clock.instant();
        Instant logCutoff = now.minus(retention.downloadLogs());
        Instant eventCutoff = now.minus(retention.auditEvents());
        return delete("download_log", "id", "started_at < :cutoff", logCutoff)
                .flatMap(logs -> delete(
                                "download_request",
                                "request_id",
                                "coalesce(requested_at, replied_at, last_event_at) < :cutoff",
                                logCutoff)
                        .flatMap(requests -> delete(
                                        "download_delivery",
                                        "event_id",
                                        "coalesce(started_at, completed_at) < :cutoff",
                                        logCutoff)
                                .flatMap(deliveries -> delete(
                                                "grant_settlement", "grant_id", "settled_at < :cutoff", logCutoff)
                                        .flatMap(settlements -> delete(
                                                        "token_ref", "token_id", "last_event_at < :cutoff", eventCutoff)
                                                .flatMap(tokens -> delete(
                                                                "audit_event",
                                                                "event_id",
                                                                "occurred_at < :cutoff",
                                                                eventCutoff)
                                                        .map(events -> new Purged(
                                                                logs,
                                                                requests,
                                                                deliveries,
                                                                settlements,
                                                                tokens,
                                                                events)))))))
                .doOnNext(this::count);
    }

    private Mono<Long> delete(String table, String key, String condition, Instant cutoff) {
        Mono<Long> batch = database.sql("delete from " + table + " where " + key + " in (select " + key + " from "
                        + table + " where " + condition + " limit :batch)")
                .bind("cutoff", cutoff)
                .bind("batch", retention.batchSize())
                .fetch()
                .rowsUpdated();
        return batch.expand(deleted -> deleted < retention.batchSize() ? Mono.empty() : batch)
                .reduce(0L, Long::sum);
    }

    private void count(Purged purged) {
        increment("download_log", purged.downloadLogs());
        increment("audit_event", purged.auditEvents());
    }

    private void increment(String table, long rows) {
        Counter.builder("drawbridge.audit.purged")
                .description("Rows deleted by the retention purge")
                .tag("table", table)
                .register(registry)
                .increment(rows);
    }
}
