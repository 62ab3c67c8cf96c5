package io.drawbridge.audit.timeline.persistence;

import io.drawbridge.audit.timeline.domain.TimelineEntry;
import io.drawbridge.audit.timeline.domain.TimelinePhases;
import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds every event of an order: those naming it, those naming one of its tokens (the order's tokens are known
 * from TokenIssued), and the download requests answered for those tokens (a DownloadRequested carries only the
 * token's hash; its reply names the token).
 */
@Repository
public class OrderTimelineQuery {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DatabaseClient database;

    OrderTimelineQuery(DatabaseClient database) {
        this.database = database;
    }

    public Mono<List<TimelineEntry>> events(String orderId) {
        return database.sql(
                        """
                        with tokens as (
                            select token_id from token_ref where order_id = :orderId
                            union
                            select token_id from audit_event where order_id = :orderId and token_id is not null
                        ), hashes as (
                            select token_hash from token_ref
                            where token_id in (select token_id from tokens) and token_hash is not null
                        ), requests as (
                            select request_id from download_request where token_id in (select token_id from tokens)
                        )
                        select event_id, event_type, topic, occurred_at, recorded_at, token_id, payload
                        from audit_event
                        where order_id = :orderId
                            or token_id in (select token_id from tokens)
                            or request_id in (select request_id from requests)
                            or token_hash in (select token_hash from hashes)
                        order by occurred_at, recorded_at
                        limit 10000
                        """)
                .bind("orderId", orderId)
                .map(row -> new Row(
                        row.get("event_id", UUID.class),
                        row.get("event_type", String.class),
                        row.get("topic", String.class),
                        row.get("occurred_at", Instant.class),
                        row.get("recorded_at", Instant.class),
                        row.get("token_id", UUID.class),
                        row.get("payload", Json.class).asString()))
                .all()
                .map(OrderTimelineQuery::entry)
                .collectList()
                .map(entries -> entries.stream()
                        .sorted(Comparator.comparing(TimelineEntry::occurredAt)
                                .thenComparing(entry -> TimelinePhases.rank(entry.phase())))
                        .toList());
    }

    private record Row(
            UUID eventId,
            String type,
            String topic,
            Instant occurredAt,
            Instant recordedAt,
            UUID tokenId,
            String payload) {}

    private static TimelineEntry entry(Row row) {
        JsonNode payload = JSON.readTree(row.payload());
        String phase = TimelinePhases.phase(row.type(), payload);
        return new TimelineEntry(
                row.eventId(),
                row.type(),
                row.topic(),
                row.occurredAt(),
                phase,
                TimelinePhases.summary(row.type(), payload),
                row.tokenId(),
                payload);
    }
}
