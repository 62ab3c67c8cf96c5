package io.drawbridge.platform.kafka;

import io.drawbridge.events.Event;
import io.drawbridge.events.EventHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer for events: plain JSON bytes, no type headers. Already serialized payloads ({@code
 * byte[]}: outbox rows, dead letters) pass through unchanged. An {@link Event} sent without standard headers
 * (e.g. straight through a {@code KafkaTemplate}) gets fresh ones, so no record leaves without an event-id.
 */
public class EventSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object data) {
        return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Object data) {
        if (data == null) {
            return null;
        }
        if (data instanceof byte[] bytes) {
            return bytes;
        }
        if (data instanceof Event event) {
            if (headers != null && headers.lastHeader(EventHeaders.EVENT_ID) == null) {
                EventMetadata.forNew(event, EventMetadata.text(headers, EventHeaders.TRACEPARENT))
                        .toHeaders(headers);
            }
            return EventCodec.write(event);
        }
        throw new IllegalArgumentException("EventSerializer writes events or byte[], not "
                + data.getClass().getName());
    }
}
