package io.drawbridge.audit.trail.messaging;

import io.drawbridge.audit.config.AuditProperties;
import io.drawbridge.audit.trail.EventRecorder;
import io.drawbridge.audit.trail.domain.ConsumedEvent;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.platform.kafka.EventMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.stereotype.Component;

/**
 * Feeds every event topic into the audit trail and the download log. The offset is acknowledged only after the
 * event's database transaction committed ({@code ack-mode: manual}), so a consumer that stops or falls behind
 * resumes where it left and loses nothing; a redelivery is absorbed by the processed-event table. This runs on the
 * listener container's thread, never on an event loop, so waiting for the transaction here is fine.
 */
@Component
class AuditEventListener {

    private static final Logger log = LoggerFactory.getLogger(AuditEventListener.class);

    private final EventRecorder recorder;
    private final AuditProperties properties;
    private final MeterRegistry registry;

    AuditEventListener(EventRecorder recorder, AuditProperties properties, MeterRegistry registry) {
        this.recorder = recorder;
        this.properties = properties;
        this.registry = registry;
    }

    @KafkaListener(id = "audit-trail", idIsGroup = false, topics = "#{T(io.drawbridge.events.Topics).all()}")
    void on(ConsumerRecord<String, byte[]> record, Acknowledgment acknowledgment) {
        ConsumedEvent event;
        try {
            event = ConsumedEventReader.read(record);
        } catch (DeserializationException e) {
            log.warn("Dead-lettering {}", e.getMessage());
            Counter.builder(EventRecorder.EVENTS_METER)
                    .tag("topic", record.topic())
                    .tag("type", EventRecorder.typeTag(EventMetadata.text(record.headers(), EventHeaders.EVENT_TYPE)))
                    .tag("outcome", "malformed")
                    .register(registry)
                    .increment();
            throw e;
        }
        recorder.record(event).block(properties.processingTimeout());
        acknowledgment.acknowledge();
    }
}
