package io.drawbridge.console.webhook;

import io.drawbridge.events.Event;
import io.drawbridge.events.GrantOutcome;
import io.drawbridge.events.GrantSettled;
import io.drawbridge.events.TokenExhausted;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.inbox.ProcessedEvents;
import io.drawbridge.platform.kafka.EventMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns token-service's facts on {@code tokens.v1} into webhook deliveries: GrantSettled {@code completed} with
 * {@code downloadsConsumed = 1} is a link's first download, TokenExhausted a used-up link. token-service decides both
 * (it counts the uses); the console only forwards. Each event once ({@code processed_event} in the same transaction
 * as the deliveries it adds); runs on the listener container's thread, never on an event loop.
 */
@Component
class LinkEventsListener {

    static final String CONSUMER = "console.webhooks";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebhookDeliveries deliveries;
    private final ProcessedEvents processed;

    LinkEventsListener(WebhookDeliveries deliveries, ProcessedEvents processed) {
        this.deliveries = deliveries;
        this.processed = processed;
    }

    /** A webhook to send: its type and its {@code data}. */
    record Message(WebhookEvent event, Map<String, Object> data, Instant occurredAt) {}

    @KafkaListener(id = CONSUMER, groupId = CONSUMER, topics = Topics.TOKENS)
    void on(ConsumerRecord<String, Event> record) {
        Optional<Message> message = message(record.value());
        if (message.isEmpty()) {
            return;
        }
        UUID eventId = EventMetadata.from(record).eventId();
        processed
                .once(
                        CONSUMER,
                        eventId,
                        Mono.defer(() -> deliveries.enqueue(
                                message.get().event(),
                                eventId,
                                payload(message.get()),
                                message.get().occurredAt())))
                .retryWhen(Retry.backoff(3, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(5)))
                .block(TIMEOUT);
    }

    static Optional<Message> message(Event event) {
        if (event instanceof GrantSettled settled
                && settled.outcome() == GrantOutcome.COMPLETED
                && settled.downloadsConsumed() != null
                && settled.downloadsConsumed() == 1) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("link_id", settled.tokenId());
            data.put("order_id", settled.orderId());
            data.put("grant_id", settled.grantId());
            data.put("downloads_consumed", settled.downloadsConsumed());
            data.put("bytes_sent", settled.bytesSent());
            return Optional.of(new Message(WebhookEvent.LINK_FIRST_DOWNLOADED, data, settled.settledAt()));
        }
        if (event instanceof TokenExhausted exhausted) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("link_id", exhausted.tokenId());
            data.put("order_id", exhausted.orderId());
            data.put("downloads_consumed", exhausted.downloadsConsumed());
            return Optional.of(new Message(WebhookEvent.LINK_USED_UP, data, exhausted.exhaustedAt()));
        }
        return Optional.empty();
    }

    /**
     * The body as Standard Webhooks suggests: {@code {type, timestamp, data}}; snake_case like the console's API. No
     * customer address: an order id is enough to look the customer up, and an erased customer stays erased here.
     */
    static String payload(Message message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", message.event().type());
        body.put(
                "timestamp",
                message.occurredAt() == null ? null : message.occurredAt().toString());
        body.put("data", message.data());
        return JSON.writeValueAsString(body);
    }
}
