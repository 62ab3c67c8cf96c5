package io.drawbridge.platform.kafka;

import io.drawbridge.events.Event;
import io.drawbridge.events.EventType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapping of events on the wire (camelCase, ISO-8601 instants, nulls omitted, unknown fields
 * ignored). Deliberately independent of the service's own {@code JsonMapper}, so that a service tweaking its
 * HTTP JSON cannot change what other services read.
 */
public final class EventCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private EventCodec() {}

    /** The event's JSON bytes, without any type information. */
    public static byte[] write(Event event) {
        return MAPPER.writeValueAsBytes(event);
    }

    /** The record of {@code type} read from JSON; throws a Jackson exception for malformed payloads. */
    public static <E extends Event> E read(EventType<E> type, byte[] json) {
        return MAPPER.readValue(json, type.type());
    }
}
