package io.drawbridge.token.delivery.messaging;

import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadFailed;
import io.drawbridge.events.Event;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.inbox.ProcessedEvents;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.token.delivery.domain.DeliveryLedger;
import io.drawbridge.token.delivery.domain.DeliveryReport;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Settles grants from the gateway's DownloadCompleted / DownloadFailed, each event applied once. */
@Component
class DownloadsListener {

    static final String CONSUMER = "token-service.downloads";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final DeliveryLedger ledger;
    private final ProcessedEvents processed;

    DownloadsListener(DeliveryLedger ledger, ProcessedEvents processed) {
        this.ledger = ledger;
        this.processed = processed;
    }

    @KafkaListener(id = CONSUMER, groupId = CONSUMER, topics = Topics.DOWNLOADS)
    void on(ConsumerRecord<String, Event> record) {
        DeliveryReport report = report(record.value());
        if (report == null) {
            return;
        }
        EventMetadata metadata = EventMetadata.from(record);
        processed
                .once(CONSUMER, metadata.eventId(), Mono.defer(() -> ledger.record(report)))
                .block(TIMEOUT);
    }

    static DeliveryReport report(Event event) {
        if (event instanceof DownloadCompleted done) {
            return new DeliveryReport(
                    done.grantId(),
                    done.tokenId(),
                    done.fileId(),
                    done.rangeStart(),
                    done.bytesSent(),
                    done.totalSize(),
                    true,
                    null);
        }
        if (event instanceof DownloadFailed failed) {
            return new DeliveryReport(
                    failed.grantId(),
                    failed.tokenId(),
                    failed.fileId(),
                    failed.rangeStart(),
                    failed.bytesSent(),
                    failed.totalSize(),
                    false,
                    failed.reason());
        }
        return null;
    }
}
