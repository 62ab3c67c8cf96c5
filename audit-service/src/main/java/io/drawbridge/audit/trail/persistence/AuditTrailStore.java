package io.drawbridge.audit.trail.persistence;

import io.drawbridge.audit.sql.SqlValue;
import io.drawbridge.audit.trail.domain.ConsumedEvent;
import io.drawbridge.audit.trail.domain.EventReferences;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The {@code audit_event} table: every event once, with the ids it is searched by. */
@Repository
public class AuditTrailStore {

    private final DatabaseClient database;

    AuditTrailStore(DatabaseClient database) {
        this.database = database;
    }

    /** Inserts the event; an event already there (same id) is left as it is. */
    public Mono<Void> append(ConsumedEvent event) {
        EventReferences refs = event.references();
        return database.sql(
                        """
                        insert into audit_event (event_id, event_type, event_version, topic, partition_no, offset_no,
                            event_key, occurred_at, order_id, token_id, request_id, grant_id, token_hash, email,
                            traceparent, payload)
                        values (:eventId, :type, :version, :topic, :partition, :offset, :key, :occurredAt, :orderId,
                            :tokenId, :requestId, :grantId, :tokenHash, :email, :traceparent, :payload)
                        on conflict (event_id) do nothing
                        """)
                .bind("eventId", event.eventId())
                .bind("type", event.type())
                .bind("version", event.version())
                .bind("topic", event.topic())
                .bind("partition", event.partition())
                .bind("offset", event.offset())
                .bind("key", SqlValue.of(event.key(), String.class))
                .bind("occurredAt", event.occurredAt())
                .bind("orderId", SqlValue.of(refs.orderId(), String.class))
                .bind("tokenId", SqlValue.of(refs.tokenId(), UUID.class))
                .bind("requestId", SqlValue.of(refs.requestId(), UUID.class))
                .bind("grantId", SqlValue.of(refs.grantId(), UUID.class))
                .bind("tokenHash", SqlValue.of(refs.tokenHash(), String.class))
                .bind("email", SqlValue.of(refs.email(), String.class))
                .bind("traceparent", SqlValue.of(event.traceparent(), String.class))
                .bind("payload", SqlValue.json(event.payload().toString()))
                .then();
    }
}
