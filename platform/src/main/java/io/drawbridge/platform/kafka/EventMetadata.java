package io.drawbridge.platform.kafka;

import io.drawbridge.events.Event;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The standard headers of one event record. Producers write them (see {@link #toHeaders(Headers)}); consumers
 * read them back, typically to dedupe on {@link #eventId()} with
 * {@link io.drawbridge.platform.inbox.ProcessedEvents}.
 */
public record EventMetadata(UUID eventId, String eventType, int eventVersion, Instant occurredAt, String traceparent) {

    /** Fresh metadata for publishing {@code event} now. */
    public static EventMetadata forNew(Event event, String traceparent) {
        EventType<?> type = EventCatalog.of(event);
        return new EventMetadata(
                UUID.randomUUID(), type.name(), type.version(), Instant.now(), Traceparent.orGenerate(traceparent));
    }

    /** Reads the headers of a consumed record; throws {@link IllegalArgumentException} when event-id is missing. */
    public static EventMetadata from(ConsumerRecord<?, ?> record) {
        return from(record.headers());
    }

    /** Reads standard headers; throws {@link IllegalArgumentException} when event-id is missing or malformed. */
    public static EventMetadata from(Headers headers) {
        String eventId = text(headers, EventHeaders.EVENT_ID);
        if (eventId == null) {
            throw new IllegalArgumentException("record has no " + EventHeaders.EVENT_ID + " header");
        }
        String version = text(headers, EventHeaders.EVENT_VERSION);
        String occurredAt = text(headers, EventHeaders.OCCURRED_AT);
        return new EventMetadata(
                UUID.fromString(eventId),
                text(headers, EventHeaders.EVENT_TYPE),
                version == null ? 1 : Integer.parseInt(version),
                occurredAt == null ? null : Instant.parse(occurredAt),
                text(headers, EventHeaders.TRACEPARENT));
    }

    /** The value of the last header named {@code name} as UTF-8 text, or null. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Writes these values as the standard headers, replacing any previous ones. */
    public Headers toHeaders(Headers headers) {
        put(headers, EventHeaders.EVENT_ID, eventId.toString());
        put(headers, EventHeaders.EVENT_TYPE, eventType);
        put(headers, EventHeaders.EVENT_VERSION, Integer.toString(eventVersion));
        put(headers, EventHeaders.OCCURRED_AT, occurredAt.toString());
        if (traceparent != null) {
            put(headers, EventHeaders.TRACEPARENT, traceparent);
        }
        return headers;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
