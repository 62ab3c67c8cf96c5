package io.drawbridge.platform.kafka;

import io.drawbridge.events.Event;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.EventType;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a record into the catalog's record named by its {@code event-type} header, so no class name needs to
 * travel on the wire. Returns null for a type this build does not know (a newer producer's event): the platform's
 * record filter then skips it. Throws for a missing header or malformed JSON; wrapped in Spring's {@code
 * ErrorHandlingDeserializer}, that sends the record to the dead-letter topic instead of blocking the partition.
 */
public class EventDeserializer implements Deserializer<Event> {

    @Override
    public Event deserialize(String topic, byte[] data) {
        throw new SerializationException("events are typed by the " + EventHeaders.EVENT_TYPE
                + " header; this record of " + topic + " has no headers");
    }

    @Override
    public Event deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        String typeName = EventMetadata.text(headers, EventHeaders.EVENT_TYPE);
        if (typeName == null) {
            throw new SerializationException("record of " + topic + " has no " + EventHeaders.EVENT_TYPE + " header");
        }
        Optional<EventType<?>> type = EventCatalog.byName(typeName);
        if (type.isEmpty()) {
            return null;
        }
        try {
            return EventCodec.read(type.get(), data);
        } catch (RuntimeException e) {
            throw new SerializationException("malformed " + typeName + " on " + topic + ": " + e.getMessage(), e);
        }
    }
}
