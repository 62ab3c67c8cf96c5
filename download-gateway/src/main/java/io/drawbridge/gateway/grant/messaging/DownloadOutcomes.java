package io.drawbridge.gateway.grant.messaging;

import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadFailed;
import io.drawbridge.events.Event;
import io.drawbridge.gateway.grant.client.GrantClient;
import io.drawbridge.gateway.grant.storage.StorageReadFailed;
import io.drawbridge.gateway.web.DownloadRefused;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Watches each download response and reports how it ended, exactly once: to token-service, by ending the response's
 * byte lease with the bytes sent (which settles the grant), and to everyone else as DownloadCompleted when every
 * promised byte was written or DownloadFailed with the bytes sent when it broke off. Also the gateway's download
 * metrics: starts, outcomes, bytes, time to first byte and duration.
 */
@Component
public class DownloadOutcomes {

    public static final String CLIENT_ABORTED = "client_aborted";
    public static final String STORAGE_ERROR = "storage_error";
    public static final String INCOMPLETE = "incomplete";

    private static final Logger log = LoggerFactory.getLogger(DownloadOutcomes.class);

    public static final String LEASE_REFUSED = "lease_refused";

    private final DeliveryReports reports;
    private final GrantClient grants;
    private final MeterRegistry meters;
    private final Clock clock;

    DownloadOutcomes(DeliveryReports reports, GrantClient grants, MeterRegistry meters, Clock clock) {
        this.reports = reports;
        this.grants = grants;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * Wraps the writing of {@code body}: {@code write} is the response's writeWith. Counts the bytes handed to the
     * connection and reports once, on success, error or cancel (the client going away).
     */
    public Mono<Void> track(Delivery delivery, Flux<DataBuffer> body, Function<Flux<DataBuffer>, Mono<Void>> write) {
        String platform = platformTag(delivery.platform());
        meters.counter("drawbridge.downloads.started", "kind", delivery.kind(), "platform", platform)
                .increment();
        AtomicLong sent = new AtomicLong();
        AtomicBoolean firstByte = new AtomicBoolean();
        AtomicBoolean reported = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean bodyDone = new AtomicBoolean();
        Counter bytes = meters.counter("drawbridge.download.bytes", "platform", platform);
        Flux<DataBuffer> counted = body.doOnCancel(() -> cancelled.set(true))
                .doOnComplete(() -> bodyDone.set(true))
                .doOnNext(buffer -> {
                    int n = buffer.readableByteCount();
                    sent.addAndGet(n);
                    bytes.increment(n);
                    if (firstByte.compareAndSet(false, true)) {
                        Timer.builder("drawbridge.download.ttfb")
                                .description(
                                        "From the download request to the first body byte handed to the connection")
                                .tag("platform", platform)
                                .publishPercentileHistogram()
                                .register(meters)
                                .record(Duration.ofNanos(System.nanoTime() - delivery.startedNanos()));
                    }
                });
        return write.apply(counted)
                // The server completes a write quietly when the connection was closed under it.
                .doOnSuccess(ignored -> report(
                        delivery,
                        sent.get(),
                        failure(
                                bodyDone.get(),
                                sent.get(),
                                delivery.promisedBytes(),
                                cancelled.get() ? CLIENT_ABORTED : INCOMPLETE),
                        reported))
                .doOnError(e -> report(
                        delivery,
                        sent.get(),
                        failure(bodyDone.get(), sent.get(), delivery.promisedBytes(), reason(e)),
                        reported))
                .doOnCancel(() -> report(
                        delivery,
                        sent.get(),
                        failure(bodyDone.get(), sent.get(), delivery.promisedBytes(), CLIENT_ABORTED),
                        reported));
    }

    /**
     * How a response ended: null when every promised byte was handed to the connection, else {@code otherwise}. A
     * client that has read the whole body often closes the connection before the server sees its write complete:
     * that is a delivered file, not an abort, even when the storage stream had not yet been read to its end. ({@code
     * promised} is negative for a ZIP, whose length is not known up front: there the end of the body is what counts.)
     */
    static String failure(boolean bodyDone, long sent, long promised, String otherwise) {
        boolean handedOver = promised >= 0 ? sent == promised : bodyDone;
        return handedOver ? null : otherwise;
    }

    /** The {@code platform} tag: windows, macos, linux, any (not platform-specific or mixed) or unknown. */
    static String platformTag(String platform) {
        if (platform == null || platform.isBlank()) {
            return "any";
        }
        return switch (platform) {
            case "windows", "macos", "linux", "any" -> platform;
            default -> "unknown";
        };
    }

    private static String reason(Throwable e) {
        if (e instanceof StorageReadFailed) {
            return STORAGE_ERROR;
        }
        return e instanceof DownloadRefused ? LEASE_REFUSED : CLIENT_ABORTED;
    }

    private void report(Delivery delivery, long bytesSent, String failure, AtomicBoolean reported) {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        String outcome = failure == null ? "completed" : "failed";
        String platform = platformTag(delivery.platform());
        meters.counter(
                        "drawbridge.downloads",
                        "outcome",
                        outcome,
                        "platform",
                        platform,
                        "reason",
                        failure == null ? "none" : failure,
                        "kind",
                        delivery.kind())
                .increment();
        Timer.builder("drawbridge.download.duration")
                .description("Duration of download responses, by how they ended")
                .tag("outcome", outcome)
                .tag("platform", platform)
                .publishPercentileHistogram()
                .register(meters)
                .record(Duration.ofNanos(System.nanoTime() - delivery.startedNanos()));
        Event event = failure == null
                ? new DownloadCompleted(
                        delivery.grantId(),
                        delivery.tokenId(),
                        delivery.fileId(),
                        delivery.rangeStart(),
                        bytesSent,
                        delivery.totalSize(),
                        delivery.platform(),
                        delivery.clientIp(),
                        delivery.userAgent(),
                        delivery.startedAt(),
                        clock.instant(),
                        delivery.archive())
                : new DownloadFailed(
                        delivery.grantId(),
                        delivery.tokenId(),
                        delivery.fileId(),
                        delivery.rangeStart(),
                        bytesSent,
                        delivery.totalSize(),
                        delivery.platform(),
                        delivery.clientIp(),
                        delivery.userAgent(),
                        delivery.startedAt(),
                        clock.instant(),
                        failure,
                        delivery.archive());
        log.info(
                "Download of grant {} ({}) {}: {} bytes from offset {}",
                delivery.grantId(),
                delivery.kind(),
                failure == null ? outcome : failure,
                bytesSent,
                delivery.rangeStart());
        // The response is over (or gone): end its lease and publish on their own, not cancelled with the response.
        if (delivery.lease() != null) {
            grants.end(delivery.lease(), bytesSent, failure == null).subscribe();
        }
        reports.send(event)
                .subscribe(
                        null,
                        e -> log.error(
                                "Could not publish or spool {} for grant {}",
                                event.getClass().getSimpleName(),
                                delivery.grantId(),
                                e));
    }
}
