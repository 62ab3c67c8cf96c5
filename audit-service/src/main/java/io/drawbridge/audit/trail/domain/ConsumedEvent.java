package io.drawbridge.audit.trail.domain;

import io.drawbridge.events.Event;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event as audit-service received it: the standard headers, where it was read from, its JSON exactly as
 * published (fields this build does not know included) and, for a type in the events catalog, the typed record
 * the download log is correlated from.
 *
 * @param event the typed record; null for an event type this build does not know (still kept in the trail)
 */
public record ConsumedEvent(
        UUID eventId,
        String type,
        int version,
        String topic,
        int partition,
        long offset,
        String key,
        Instant occurredAt,
        String traceparent,
        ObjectNode payload,
        Event event) {

    public ConsumedEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
    }

    /** The ids this event is about, read from its payload. */
    public EventReferences references() {
        return EventReferences.of(payload);
    }

    /** The same event with another payload and record (after pseudonymisation). */
    public ConsumedEvent withContent(ObjectNode newPayload, Event newEvent) {
        return new ConsumedEvent(
                eventId, type, version, topic, partition, offset, key, occurredAt, traceparent, newPayload, newEvent);
    }
}
