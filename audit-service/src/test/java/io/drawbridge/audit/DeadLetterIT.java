package io.drawbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

@AuditIntegrationTest
class DeadLetterIT {

    private static final TestEvents events = new TestEvents();

    @Autowired
    WebTestClient client;

    @Autowired
    MeterRegistry registry;

    @AfterAll
    static void closeProducer() {
        events.close();
    }

    @Test
    void malformedRecordGoesToTheDeadLetterTopicIsCountedAndTheNextOneIsConsumed() {
        Purchase p = Purchase.now();
        UUID malformedId = UUID.randomUUID();
        double malformedBefore = malformed(Topics.ORDERS);
        double deadLetteredBefore = deadLettered(Topics.ORDERS);

        // Same key, so the same partition: the good event is behind the bad one.
        events.send(
                Topics.ORDERS,
                p.orderId(),
                "{\"orderId\": \"broken".getBytes(StandardCharsets.UTF_8),
                malformedId,
                "OrderStatusChanged",
                Instant.now());
        events.publish(p.paid(), p.at());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(new AdminApi(client)
                        .get("/api/v1/orders/" + p.orderId() + "/timeline")
                        .get("events"))
                .hasSize(1));
        assertThat(malformed(Topics.ORDERS)).isEqualTo(malformedBefore + 1);
        assertThat(deadLettered(Topics.ORDERS)).isEqualTo(deadLetteredBefore + 1);

        try (KafkaConsumer<String, byte[]> dlt = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty("DRAWBRIDGE_KAFKA_BOOTSTRAP_SERVERS"),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dead-letter-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()))) {
            dlt.subscribe(List.of(Topics.dlt(Topics.ORDERS)));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                dlt.poll(Duration.ofMillis(500)).forEach(seen::add);
                assertThat(seen).anySatisfy(record -> {
                    Header id = record.headers().lastHeader(EventHeaders.EVENT_ID);
                    assertThat(id).isNotNull();
                    assertThat(new String(id.value(), StandardCharsets.UTF_8)).isEqualTo(malformedId.toString());
                    assertThat(new String(record.value(), StandardCharsets.UTF_8))
                            .isEqualTo("{\"orderId\": \"broken");
                });
            });
        }
    }

    /** The platform's count of records its error handler sent to {@code <topic>.dlt}. */
    private double deadLettered(String topic) {
        var counter = registry.find("drawbridge.events.dead.lettered")
                .tag("topic", topic)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double malformed(String topic) {
        var counter = registry.find("drawbridge.audit.events")
                .tag("topic", topic)
                .tag("outcome", "malformed")
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
