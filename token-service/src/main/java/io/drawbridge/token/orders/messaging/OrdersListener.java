package io.drawbridge.token.orders.messaging;

import io.drawbridge.events.Event;
import io.drawbridge.events.OrderStatusChanged;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.inbox.ProcessedEvents;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.token.mail.domain.LinkDelivery;
import io.drawbridge.token.mail.domain.LinkMail;
import io.drawbridge.token.orders.domain.OrderChange;
import io.drawbridge.token.orders.domain.OrderLinks;
import io.drawbridge.token.orders.domain.OrderStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Applies order-sync-service's OrderStatusChanged (key orderId, so one order's events come in order), each event
 * once via {@code processed_event}; the links a paid order got are emailed after that transaction committed. A
 * short retry rides out a database hiccup before the platform's own retries and dead-letter topic take over.
 */
@Component
class OrdersListener {

    static final String CONSUMER = "token-service.orders";
    private static final Logger log = LoggerFactory.getLogger(OrdersListener.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final OrderLinks links;
    private final LinkDelivery delivery;
    private final ProcessedEvents processed;

    OrdersListener(OrderLinks links, LinkDelivery delivery, ProcessedEvents processed) {
        this.links = links;
        this.delivery = delivery;
        this.processed = processed;
    }

    @KafkaListener(id = CONSUMER, groupId = CONSUMER, topics = Topics.ORDERS)
    void on(ConsumerRecord<String, Event> record) {
        if (!(record.value() instanceof OrderStatusChanged changed)) {
            return;
        }
        Optional<OrderChange> change = change(changed);
        if (change.isEmpty()) {
            log.warn(
                    "Ignoring OrderStatusChanged of order {} with status {} (unknown status or no order id)",
                    changed.orderId(),
                    changed.status());
            return;
        }
        EventMetadata metadata = EventMetadata.from(record);
        LinkMail mail = processed
                .once(CONSUMER, metadata.eventId(), Mono.defer(() -> links.apply(change.get())))
                .retryWhen(Retry.backoff(3, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(5)))
                .block(TIMEOUT);
        // Committed: only now may the plaintext links leave, by email.
        delivery.dispatch(mail);
    }

    static Optional<OrderChange> change(OrderStatusChanged changed) {
        if (changed.orderId() == null || changed.orderId().isBlank()) {
            return Optional.empty();
        }
        return OrderStatus.parse(changed.status())
                .map(status -> new OrderChange(
                        changed.orderId(),
                        changed.provider() == null ? "unknown" : changed.provider(),
                        changed.externalId() == null ? changed.orderId() : changed.externalId(),
                        changed.customerEmail(),
                        status,
                        changed.lines() == null
                                ? List.of()
                                : changed.lines().stream()
                                        .filter(line -> line != null
                                                && line.lineId() != null
                                                && !line.lineId().isBlank()
                                                && line.sku() != null
                                                && !line.sku().isBlank())
                                        .map(line -> new OrderChange.Line(line.lineId(), line.sku(), line.quantity()))
                                        .toList(),
                        changed.occurredAt()));
    }
}
