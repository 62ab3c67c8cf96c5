package io.drawbridge.audit.trail.messaging;

import io.drawbridge.audit.config.AuditProperties;
import io.drawbridge.audit.trail.EventRecorder;
import io.drawbridge.audit.trail.domain.ConsumedEvent;
import io.drawbridge.events.EventHeaders;
import io.drawbridge.platform.kafka.EventMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.stereotype.Component;

/**
 * Feeds every event topic into the audit trail and the download log, a poll's worth of records at a time in one
 * database transaction (one transaction per event cost more than the rest of a redemption's work in this service).
 * Offsets are acknowledged only after the transaction committed ({@code ack-mode: manual}), so a consumer that stops
 * or falls behind resumes where it left and loses nothing; a redelivery is absorbed by the processed-event table.
 * When a record is malformed, or the poll's transaction fails, the records before the one at fault are recorded (one
 * at a time, after a failed transaction, to find it) and that one is handed to the platform's error handler as a
 * {@link BatchListenerFailedException}: retried, or sent to {@code <topic>.dlt}; the ones after it come again. This
 * runs on the listener container's thread, never on an event loop, so waiting for the transaction here is fine.
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

    @KafkaListener(
            id = "audit-trail",
            idIsGroup = false,
            topics = "#{T(io.drawbridge.events.Topics).all()}",
            batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
        List<ConsumedEvent> events = new ArrayList<>(records.size());
        DeserializationException malformed = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(ConsumedEventReader.read(record));
            } catch (DeserializationException e) {
                countMalformed(record);
                malformed = e;
                break;
            }
        }
        recordInOrder(records, events);
        if (malformed != null) {
            log.warn("Dead-lettering {}", malformed.getMessage());
            throw new BatchListenerFailedException("malformed record", malformed, records.get(events.size()));
        }
        acknowledgment.acknowledge();
    }

    /** Records {@code events} (the first of {@code records}) in one transaction, or one at a time when that fails. */
    private void recordInOrder(List<ConsumerRecord<String, byte[]>> records, List<ConsumedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            recorder.recordAll(events).block(properties.processingTimeout());
            return;
        } catch (RuntimeException batchFailure) {
            log.debug("A poll of {} events failed as one transaction; recording them one at a time", events.size());
        }
        for (int i = 0; i < events.size(); i++) {
            try {
                recorder.record(events.get(i)).block(properties.processingTimeout());
            } catch (RuntimeException e) {
                throw new BatchListenerFailedException("recording failed", e, records.get(i));
            }
        }
    }

    private void countMalformed(ConsumerRecord<String, byte[]> record) {
        Counter.builder(EventRecorder.EVENTS_METER)
                .tag("topic", record.topic())
                .tag("type", EventRecorder.typeTag(EventMetadata.text(record.headers(), EventHeaders.EVENT_TYPE)))
                .tag("outcome", "malformed")
                .register(registry)
                .increment();
    }
}
