package io.drawbridge.gateway.redeem.messaging;

import io.drawbridge.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Creates the Kafka producer and fetches the request topic's metadata at start-up, so the first customer's
 * redemption does not pay for it inside its bounded wait.
 */
@Component
class ProducerWarmup {

    private static final Logger log = LoggerFactory.getLogger(ProducerWarmup.class);

    private final KafkaTemplate<?, ?> kafka;

    ProducerWarmup(KafkaTemplate<?, ?> kafka) {
        this.kafka = kafka;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Mono.fromCallable(() -> kafka.partitionsFor(Topics.DOWNLOAD_REQUESTS))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(
                        partitions -> log.debug("{} has {} partitions", Topics.DOWNLOAD_REQUESTS, partitions.size()),
                        e -> log.warn("Kafka producer warm-up failed: {}", e.toString()));
    }
}
