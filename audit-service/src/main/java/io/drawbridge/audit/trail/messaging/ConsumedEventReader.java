package io.drawbridge.audit.trail.messaging;

import io.drawbridge.audit.trail.domain.ConsumedEvent;
import io.drawbridge.events.Event;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.EventType;
import io.drawbridge.platform.kafka.EventCodec;
import io.drawbridge.platform.kafka.EventMetadata;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.support.serializer.DeserializationException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a raw record (audit-service consumes bytes, not the platform's typed events, so that the trail keeps each
 * payload exactly as published, unknown fields and unknown event types included). A record without an event id
 * or type, with a payload that is not a JSON object, or that does not fit its catalog record is malformed: that
 * is reported as a {@link DeserializationException}, which the platform's error handler does not retry but sends
 * to {@code <topic>.dlt}.
 */
final class ConsumedEventReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The one payload the trail does not keep exactly as published: an erasure request's unkeyed hash of the address
     * would let anyone who reads the trail test guessed addresses against the request and so against its label. The
     * trail keeps the erasure's id and label, which is what its report needs.
     */
    private static final String ERASURE_REQUEST = "CustomerErasureRequested";

    private static final String EMAIL_HASH = "emailHash";

    private ConsumedEventReader() {}

    static ConsumedEvent read(ConsumerRecord<String, byte[]> record) {
        byte[] data = record.value();
        try {
            String eventId = required(record, EventHeaders.EVENT_ID);
            String type = required(record, EventHeaders.EVENT_TYPE);
            String version = EventMetadata.text(record.headers(), EventHeaders.EVENT_VERSION);
            String occurredAt = EventMetadata.text(record.headers(), EventHeaders.OCCURRED_AT);
            if (data == null) {
                throw malformed(record, "it has no payload", null);
            }
            JsonNode tree = JSON.readTree(data);
            if (!(tree instanceof ObjectNode payload)) {
                throw malformed(record, "its payload is not a JSON object", null);
            }
            Optional<EventType<?>> known = EventCatalog.byName(type);
            if (ERASURE_REQUEST.equals(type) && payload.remove(EMAIL_HASH) != null) {
                data = JSON.writeValueAsBytes(payload);
            }
            Event event = known.isPresent() ? EventCodec.read(known.get(), data) : null;
            return new ConsumedEvent(
                    UUID.fromString(eventId),
                    type,
                    version == null ? 1 : Integer.parseInt(version.trim()),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key(),
                    occurredAt == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(occurredAt),
                    EventMetadata.text(record.headers(), EventHeaders.TRACEPARENT),
                    payload,
                    event);
        } catch (JacksonException | IllegalArgumentException | DateTimeParseException e) {
            throw malformed(record, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static String required(ConsumerRecord<String, byte[]> record, String header) {
        String value = EventMetadata.text(record.headers(), header);
        if (value == null || value.isBlank()) {
            throw malformed(record, "it has no " + header + " header", null);
        }
        return value;
    }

    private static DeserializationException malformed(
            ConsumerRecord<String, byte[]> record, String why, Throwable cause) {
        return new DeserializationException(
                "malformed record " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + why,
                record.value(),
                false,
                cause);
    }
}
