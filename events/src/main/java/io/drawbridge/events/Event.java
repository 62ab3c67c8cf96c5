package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A fact one service tells the others, serialized as camelCase JSON without any class name on the wire.
 *
 * <p>The key keeps one aggregate's events on one partition, so consumers see them in the order they happened;
 * it is never part of the payload because it is always derivable from it.
 */
public interface Event {

    /** The Kafka record key: the id of the aggregate this event is about. */
    @JsonIgnore
    String key();
}
