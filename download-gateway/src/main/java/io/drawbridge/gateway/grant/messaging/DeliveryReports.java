package io.drawbridge.gateway.grant.messaging;

import io.drawbridge.events.Event;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.EventType;
import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.platform.kafka.EventCodec;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.platform.kafka.EventPublisher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The durable path of the gateway's delivery reports (DownloadCompleted, DownloadFailed, LinkViewed). A report goes
 * straight to Kafka; one that Kafka cannot take now (the broker down past the producer's own retries) is written to
 * a spool directory, one file per event, and sent again from there until Kafka takes it, with its original event id
 * so that consumers' inboxes see it once. The spool outlives the process (in Kubernetes an {@code emptyDir}, which
 * outlives container restarts). Settling a grant does not wait for any of this: the byte leases settle it.
 */
@Component
public class DeliveryReports {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReports.class);
    /** {@code <occurred-at millis>-<event id>.<event type>.json}: sorts by age, and names all the headers need. */
    private static final Pattern FILE = Pattern.compile("(\\d{13})-([0-9a-f-]{36})\\.([A-Za-z]+)\\.json");

    private final EventPublisher publisher;
    private final Path spool;

    @Autowired
    DeliveryReports(EventPublisher publisher, GatewayProperties properties, MeterRegistry meters) {
        this(publisher, properties.reports().spool());
        Gauge.builder("drawbridge.gateway.reports.spooled", this, DeliveryReports::spooled)
                .description("Delivery reports waiting in the spool for Kafka to take them")
                .register(meters);
    }

    DeliveryReports(EventPublisher publisher, Path spool) {
        this.publisher = publisher;
        this.spool = spool;
    }

    /** Sends {@code event}; completes once Kafka or the spool has it. */
    public Mono<Void> send(Event event) {
        EventMetadata metadata = EventMetadata.forNew(event, null);
        return publisher.publish(event, metadata).onErrorResume(e -> {
            log.warn(
                    "Kafka did not take {} {}; spooled for a later try: {}",
                    metadata.eventType(),
                    metadata.eventId(),
                    e.toString());
            return Mono.<Void>fromRunnable(() -> write(event, metadata)).subscribeOn(Schedulers.boundedElastic());
        });
    }

    /** Sends the spooled reports, oldest first, each removed once Kafka has it; how many were sent. */
    public Mono<Integer> resend() {
        return Mono.fromCallable(this::files)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(Flux::fromIterable)
                .concatMap(file -> read(file)
                        .map(spooled -> publisher
                                .publish(spooled.event(), spooled.metadata())
                                .then(Mono.fromCallable(() -> Files.deleteIfExists(file))
                                        .subscribeOn(Schedulers.boundedElastic()))
                                .thenReturn(1))
                        .orElseGet(() -> Mono.just(0)))
                .reduce(0, Integer::sum)
                .doOnNext(sent -> {
                    if (sent > 0) {
                        log.info("Sent {} spooled delivery reports", sent);
                    }
                });
    }

    private void write(Event event, EventMetadata metadata) {
        try {
            Files.createDirectories(spool);
            String name = metadata.occurredAt().toEpochMilli() + "-" + metadata.eventId() + "." + metadata.eventType();
            Path partial = spool.resolve(name + ".partial");
            Files.write(partial, EventCodec.write(event));
            try {
                Files.move(partial, spool.resolve(name + ".json"), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, spool.resolve(name + ".json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool " + metadata.eventType() + " " + metadata.eventId(), e);
        }
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(
                            file -> FILE.matcher(file.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        }
    }

    private Optional<Spooled> read(Path file) {
        Matcher name = FILE.matcher(file.getFileName().toString());
        Optional<EventType<?>> type = name.matches() ? EventCatalog.byName(name.group(3)) : Optional.empty();
        if (type.isEmpty()) {
            return Optional.empty();
        }
        try {
            Event event = EventCodec.read(type.get(), Files.readAllBytes(file));
            EventMetadata metadata = new EventMetadata(
                    UUID.fromString(name.group(2)),
                    type.get().name(),
                    type.get().version(),
                    Instant.ofEpochMilli(Long.parseLong(name.group(1))),
                    null);
            return Optional.of(new Spooled(event, metadata));
        } catch (IOException | RuntimeException e) {
            log.warn("Spooled report {} cannot be read; left in place: {}", file.getFileName(), e.toString());
            return Optional.empty();
        }
    }

    private double spooled() {
        try {
            return files().size();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private record Spooled(Event event, EventMetadata metadata) {}
}
