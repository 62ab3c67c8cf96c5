package io.drawbridge.platform.privacy;

import io.drawbridge.events.CustomerErased;
import io.drawbridge.events.CustomerErasureRequested;
import io.drawbridge.events.Event;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.inbox.ProcessedEvents;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import reactor.core.publisher.Mono;

/**
 * Answers a customer's erasure request for the service ({@code spring.application.name}): erases what its {@link
 * ErasureOwner} keeps and publishes what it erased ({@link CustomerErased}) through the outbox, in one transaction with
 * the processed-event row, so a redelivery neither erases twice nor answers twice.
 */
public class CustomerErasureListener {

    private static final Logger log = LoggerFactory.getLogger(CustomerErasureListener.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ErasureOwner owner;
    private final Outbox outbox;
    private final ProcessedEvents processed;
    private final Clock clock;
    private final String service;

    CustomerErasureListener(ErasureOwner owner, Outbox outbox, ProcessedEvents processed, Clock clock, String service) {
        this.owner = owner;
        this.outbox = outbox;
        this.processed = processed;
        this.clock = clock;
        this.service = service;
    }

    @KafkaListener(
            id = "${spring.application.name}.privacy",
            groupId = "${spring.application.name}.privacy",
            topics = Topics.PRIVACY)
    void on(ConsumerRecord<String, Event> record) {
        if (!(record.value() instanceof CustomerErasureRequested request)) {
            return;
        }
        Mono<Void> effect = Mono.defer(
                () -> owner.erase(request.emailHash(), request.label()).flatMap(erased -> {
                    log.info("Erasure {}: erased a customer as {}: {}", request.erasureId(), request.label(), erased);
                    return outbox.append(new CustomerErased(request.erasureId(), service, erased, clock.instant()));
                }));
        processed
                .once(service + ".privacy", EventMetadata.from(record).eventId(), effect)
                .block(TIMEOUT);
    }
}
