package io.drawbridge.order.privacy.messaging;

import io.drawbridge.events.CustomerErased;
import io.drawbridge.events.CustomerErasureRequested;
import io.drawbridge.events.Event;
import io.drawbridge.events.Topics;
import io.drawbridge.order.privacy.persistence.CustomerErasures;
import io.drawbridge.platform.inbox.ProcessedEvents;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Answers a customer's erasure request: erases what order-sync-service keeps about them and publishes what it erased
 * ({@link CustomerErased}) through the outbox, in one transaction with the processed-event row.
 */
@Component
class CustomerErasureListener {

    static final String CONSUMER = "order-sync-service.privacy";
    static final String SERVICE = "order-sync-service";
    private static final Logger log = LoggerFactory.getLogger(CustomerErasureListener.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final CustomerErasures erasures;
    private final Outbox outbox;
    private final ProcessedEvents processed;
    private final Clock clock;

    CustomerErasureListener(CustomerErasures erasures, Outbox outbox, ProcessedEvents processed, Clock clock) {
        this.erasures = erasures;
        this.outbox = outbox;
        this.processed = processed;
        this.clock = clock;
    }

    @KafkaListener(id = CONSUMER, groupId = CONSUMER, topics = Topics.PRIVACY)
    void on(ConsumerRecord<String, Event> record) {
        if (!(record.value() instanceof CustomerErasureRequested request)) {
            return;
        }
        Mono<Void> effect = Mono.defer(
                () -> erasures.erase(request.emailHash(), request.label()).flatMap(erased -> {
                    log.info("Erasure {}: erased a customer as {}: {}", request.erasureId(), request.label(), erased);
                    return outbox.append(new CustomerErased(request.erasureId(), SERVICE, erased, clock.instant()));
                }));
        processed.once(CONSUMER, EventMetadata.from(record).eventId(), effect).block(TIMEOUT);
    }
}
