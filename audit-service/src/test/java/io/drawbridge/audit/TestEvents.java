package io.drawbridge.audit;

import io.drawbridge.events.Event;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.EventType;
import io.drawbridge.platform.kafka.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events to the real broker the way the services do (standard headers, event JSON), with the event id
 * and occurred-at under the test's control, so tests can redeliver an event or place it in time.
 */
public final class TestEvents implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public TestEvents() {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty("DRAWBRIDGE_KAFKA_BOOTSTRAP_SERVERS"),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName()));
    }

    /** Publishes {@code event} now with a fresh id; returns the id. */
    public UUID publish(Event event) {
        return publish(event, Instant.now());
    }

    public UUID publish(Event event, Instant occurredAt) {
        UUID eventId = UUID.randomUUID();
        publish(eventId, event, occurredAt);
        return eventId;
    }

    /** Publishes {@code event} with the given id (use twice to simulate a redelivery). */
    public void publish(UUID eventId, Event event, Instant occurredAt) {
        EventType<Event> type = EventCatalog.of(event);
        send(type.topic(), event.key(), EventCodec.write(event), eventId, type.name(), occurredAt);
    }

    /** Publishes raw bytes with standard headers (for malformed records). */
    public void send(String topic, String key, byte[] value, UUID eventId, String type, Instant occurredAt) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(EventHeaders.EVENT_ID, eventId.toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.EVENT_VERSION, "1".getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.OCCURRED_AT, occurredAt.toString().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
