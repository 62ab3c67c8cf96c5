package io.drawbridge.token.catalog.messaging;

import io.drawbridge.events.Event;
import io.drawbridge.events.FileDeleted;
import io.drawbridge.events.FileStored;
import io.drawbridge.events.ProductBrandingChanged;
import io.drawbridge.events.ReleasePublished;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.inbox.ProcessedEvents;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.token.catalog.domain.Catalog;
import io.drawbridge.token.catalog.domain.CatalogFile;
import io.drawbridge.token.catalog.domain.ProductReleased;
import io.drawbridge.token.catalog.domain.Release;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Keeps the catalog read model from file-service's events, each applied once. */
@Component
class CatalogListener {

    static final String CONSUMER = "token-service.catalog";
    private static final Logger log = LoggerFactory.getLogger(CatalogListener.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Catalog catalog;
    private final ProcessedEvents processed;
    private final ApplicationEventPublisher application;

    CatalogListener(Catalog catalog, ProcessedEvents processed, ApplicationEventPublisher application) {
        this.catalog = catalog;
        this.processed = processed;
        this.application = application;
    }

    @KafkaListener(
            id = CONSUMER,
            groupId = CONSUMER,
            topics = {Topics.FILES, Topics.RELEASES})
    void on(ConsumerRecord<String, Event> record) {
        EventMetadata metadata = EventMetadata.from(record);
        Mono<Void> effect = Mono.defer(() -> apply(record.value()));
        processed.once(CONSUMER, metadata.eventId(), effect).block(TIMEOUT);
        if (record.value() instanceof ReleasePublished release) {
            // Committed: whatever waited for this product may go now (also after a redelivery: harmless).
            application.publishEvent(new ProductReleased(release.sku()));
        }
    }

    private Mono<Void> apply(Event event) {
        if (event instanceof FileStored stored) {
            return catalog.fileStored(new CatalogFile(
                    stored.fileId(),
                    stored.objectKey(),
                    stored.name(),
                    stored.size(),
                    stored.sha256(),
                    stored.contentType() == null ? "application/octet-stream" : stored.contentType(),
                    stored.scanStatus(),
                    stored.storedAt(),
                    null,
                    stored.crc32()));
        }
        if (event instanceof FileDeleted deleted) {
            return catalog.fileDeleted(deleted.fileId(), deleted.deletedAt());
        }
        if (event instanceof ReleasePublished release) {
            log.info("Release {} {} of {} published", release.releaseId(), release.version(), release.sku());
            return catalog.releasePublished(new Release(
                    release.sku(),
                    release.productName(),
                    release.releaseId(),
                    release.version(),
                    release.notes(),
                    release.files(),
                    release.publishedAt()));
        }
        if (event instanceof ProductBrandingChanged branded) {
            return catalog.productBranded(branded.sku(), branded.branding(), branded.changedAt());
        }
        return Mono.empty();
    }
}
