package io.drawbridge.platform.outbox;

import io.drawbridge.events.Event;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.platform.kafka.EventCodec;
import io.drawbridge.platform.kafka.EventMetadata;
import java.nio.charset.StandardCharsets;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Records an event to publish in the caller's database transaction (transactional outbox): if the business
 * change commits, the event will reach Kafka (the {@link OutboxRelay} sends it, at least once); if it rolls back,
 * the event never existed. Publishing straight to Kafka from a transaction would lose or invent events on
 * crashes.
 *
 * <p>Call {@link #append(Event)} inside the same reactive transaction as the change ({@code @Transactional} or a
 * {@code TransactionalOperator}). A traceparent in the Reactor context under {@link EventHeaders#TRACEPARENT} is
 * stored with the event.
 */
public class Outbox {

    private final DatabaseClient database;

    public Outbox(DatabaseClient database) {
        this.database = database;
    }

    /** Inserts {@code event} into the {@code outbox} table of the current schema, with a new event id. */
    public Mono<Void> append(Event event) {
        return Mono.deferContextual(context -> {
                    EventMetadata metadata = EventMetadata.forNew(
                            event,
                            context.<String>getOrEmpty(EventHeaders.TRACEPARENT).orElse(null));
                    return database.sql(
                                    """
                            insert into outbox (event_id, event_type, event_version, topic, message_key, payload,
                                                traceparent, occurred_at)
                            values (:eventId, :eventType, :eventVersion, :topic, :key, cast(:payload as json),
                                    :traceparent, :occurredAt)
                            """)
                            .bind("eventId", metadata.eventId())
                            .bind("eventType", metadata.eventType())
                            .bind("eventVersion", metadata.eventVersion())
                            .bind("topic", EventCatalog.of(event).topic())
                            .bind("key", event.key())
                            .bind("payload", new String(EventCodec.write(event), StandardCharsets.UTF_8))
                            .bind("traceparent", metadata.traceparent())
                            .bind("occurredAt", metadata.occurredAt())
                            .fetch()
                            .rowsUpdated();
                })
                .then();
    }
}
