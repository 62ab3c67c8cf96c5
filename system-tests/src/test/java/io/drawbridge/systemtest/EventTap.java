package io.drawbridge.systemtest;

import io.drawbridge.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything published on the event topics ({@code *.v1}) since the system started, read by a consumer group of its
 * own, as any new consumer would see it: the tests check what the services announce, not only what they answer.
 */
final class EventTap implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One record: topic, key, {@code event-type} header and the JSON value (raw and parsed). */
    record Event(String topic, String key, String type, String value, JsonNode json) {

        String field(String name) {
            JsonNode node = json.get(name);
            return node == null || node.isNull() ? null : node.asString();
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean closed;

    private EventTap(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
        this.poller = new Thread(this::poll, "event-tap");
        poller.setDaemon(true);
    }

    static EventTap start(String bootstrapServers) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "system-tests-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                "5000",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName()));
        consumer.subscribe(Pattern.compile(".*\\.v1"));
        EventTap tap = new EventTap(consumer);
        tap.poller.start();
        return tap;
    }

    List<Event> all() {
        return List.copyOf(events);
    }

    Stream<Event> ofType(String type) {
        return events.stream().filter(event -> type.equals(event.type()));
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (RuntimeException notJson) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll() {
        try (consumer) {
            while (!closed) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Header type = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
                    String value = record.value() == null ? "" : record.value();
                    events.add(new Event(
                            record.topic(),
                            record.key(),
                            type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
                            value,
                            parse(value)));
                }
            }
        } catch (WakeupException closing) {
            // close() was called.
        }
    }
}
