package io.drawbridge.platform.testapp;

import io.drawbridge.events.Event;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.FileDeleted;
import io.drawbridge.platform.inbox.ProcessedEvents;
import io.drawbridge.platform.kafka.EventMetadata;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Listeners written as services write them; they record what reached them for the tests to check. */
@Component
@ConditionalOnProperty(name = "platform-it.listeners", havingValue = "true", matchIfMissing = true)
public class TestListeners {

    /** What the poison-topic listener received: key and event. */
    public record Received(String key, String eventId, Event event) {}

    private final List<Received> poisonTopic = new CopyOnWriteArrayList<>();
    private final List<String> inboxDeliveries = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final ProcessedEvents processedEvents;
    private final DatabaseClient database;

    TestListeners(ProcessedEvents processedEvents, ConnectionFactory connectionFactory) {
        this.processedEvents = processedEvents;
        this.database = DatabaseClient.create(connectionFactory);
    }

    @KafkaListener(topics = PlatformTestApplication.POISON_TOPIC, groupId = "it-poison")
    void onPoisonTopic(
            Event event, @Header(EventHeaders.EVENT_ID) String eventId, @Header(KafkaHeaders.RECEIVED_KEY) String key) {
        if (event instanceof FileDeleted deleted && "fail".equals(deleted.objectKey())) {
            throw new IllegalStateException("cannot apply " + eventId);
        }
        if (event instanceof FileDeleted deleted && deleted.objectKey().startsWith("unavailable-")) {
            // The database is away for the first n attempts (as a PostgreSQL restart looks to a repository).
            int failures = Integer.parseInt(deleted.objectKey().substring("unavailable-".length()));
            int attempt = attempts.merge(eventId, 1, Integer::sum);
            if (attempt <= failures) {
                throw new DataAccessResourceFailureException(
                        "Failed to obtain R2DBC Connection", new java.net.ConnectException("Connection refused"));
            }
        }
        poisonTopic.add(new Received(key, eventId, event));
    }

    @KafkaListener(topics = PlatformTestApplication.INBOX_TOPIC, groupId = "it-inbox")
    void onInboxTopic(ConsumerRecord<String, Event> record) {
        UUID eventId = EventMetadata.from(record).eventId();
        processedEvents
                .once("it-inbox", eventId, Mono.defer(() -> database.sql(
                                "insert into it_effect (consumer, note) values ('it-inbox', :note)")
                        .bind("note", record.key())
                        .fetch()
                        .rowsUpdated()))
                .block(Duration.ofSeconds(10));
        inboxDeliveries.add(record.key());
    }

    public List<Received> poisonTopic() {
        return poisonTopic;
    }

    /** How often the poison-topic listener was called with the event. */
    public int attempts(String eventId) {
        return attempts.getOrDefault(eventId, 0);
    }

    public List<String> inboxDeliveries() {
        return inboxDeliveries;
    }
}
