package io.drawbridge.order.support;

import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;

/**
 * Everything published on {@code orders.v1} since the test JVM started reading, as the raw JSON a consumer
 * sees: read by a plain Kafka consumer on its own thread, so the assertions check the wire, not our code.
 */
public final class OrdersTopic implements AutoCloseable {

    /** One record of {@code orders.v1}. */
    public record Published(String key, String eventType, JsonNode value) {
        public String text(String field) {
            JsonNode node = value.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }
    }

    private static OrdersTopic shared;

    private final KafkaConsumer<String, String> consumer;
    private final List<Published> records = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    private OrdersTopic(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "order-sync-it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.ORDERS));
        poller = new Thread(this::poll, "orders-topic-reader");
        poller.setDaemon(true);
        poller.start();
    }

    public static synchronized OrdersTopic shared(String bootstrapServers) {
        if (shared == null) {
            shared = new OrdersTopic(bootstrapServers);
        }
        return shared;
    }

    public List<Published> all() {
        return List.copyOf(records);
    }

    public List<Published> forExternalId(String externalId) {
        return records.stream()
                .filter(r -> externalId.equals(r.text("externalId")))
                .toList();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Header type = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
                    records.add(new Published(
                            record.key(),
                            type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
                            StripeFixtures.JSON.readTree(record.value())));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }

    /** For assertion messages. */
    public static String describe(List<Published> published) {
        return published.stream()
                .map(p -> Map.of(
                        "key", String.valueOf(p.key()), "value", p.value().toString()))
                .toList()
                .toString();
    }
}
