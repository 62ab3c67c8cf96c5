package io.drawbridge.events;

import java.util.Objects;

/**
 * What the wire needs to know about one kind of event: its name in the {@code event-type} header, its record,
 * its topic and its schema version. Kept apart from the record so the payload carries none of it.
 *
 * @param name the simple record name, the value of {@link EventHeaders#EVENT_TYPE}
 * @param type the record class
 * @param topic where it is published
 * @param version the schema major version, the value of {@link EventHeaders#EVENT_VERSION}
 */
public record EventType<E extends Event>(String name, Class<E> type, String topic, int version) {

    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(topic, "topic");
    }

    static <E extends Event> EventType<E> v1(Class<E> type, String topic) {
        return new EventType<>(type.getSimpleName(), type, topic, 1);
    }
}
