package io.drawbridge.platform.kafka;

import io.drawbridge.events.Event;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.EventHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaOperations;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes an event straight to Kafka, for services with nothing to commit alongside it (the gateway). Services
 * that change their database must use {@link io.drawbridge.platform.outbox.Outbox} instead, or a crash between
 * the commit and the send loses the event.
 *
 * <p>The returned {@code Mono} completes once the broker has acknowledged the record (acks=all). A traceparent
 * found in the Reactor context under {@link EventHeaders#TRACEPARENT} is propagated; otherwise a new one starts.
 */
public class EventPublisher {

    private final KafkaOperations<String, Object> kafka;

    public EventPublisher(KafkaOperations<String, Object> kafka) {
        this.kafka = kafka;
    }

    /** Sends {@code event} to its catalog topic, keyed by {@link Event#key()}, with fresh standard headers. */
    public Mono<Void> publish(Event event) {
        return Mono.deferContextual(context -> publish(
                event,
                EventMetadata.forNew(
                        event,
                        context.<String>getOrEmpty(EventHeaders.TRACEPARENT).orElse(null))));
    }

    /**
     * Sends {@code event} with the given headers: an event sent again (after Kafka could not take it) keeps its id,
     * so that consumers' inboxes see it once.
     */
    public Mono<Void> publish(Event event, EventMetadata metadata) {
        return Mono.defer(() -> {
                    ProducerRecord<String, Object> record =
                            new ProducerRecord<>(EventCatalog.of(event).topic(), event.key(), event);
                    metadata.toHeaders(record.headers());
                    // send() can block while fetching metadata: keep it off the caller's (Netty) thread.
                    return Mono.fromFuture(() -> kafka.send(record)).subscribeOn(Schedulers.boundedElastic());
                })
                // Completion arrives on the producer's I/O thread, which must never run caller code.
                .publishOn(Schedulers.parallel())
                .then();
    }
}
