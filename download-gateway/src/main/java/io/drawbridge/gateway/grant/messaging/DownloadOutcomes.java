package io.drawbridge.gateway.grant.messaging;

import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadFailed;
import io.drawbridge.events.Event;
import io.drawbridge.gateway.grant.storage.StorageReadFailed;
import io.drawbridge.platform.kafka.EventPublisher;
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
 * Watches each download response and reports how it ended: DownloadCompleted when every promised byte was
 * written, DownloadFailed with the bytes sent when it broke off. token-service turns the reserved use into a
 * consumed one (or releases it) from these, so each response reports exactly once. Also the gateway's download
 * metrics: starts, outcomes, bytes, time to first byte and duration.
 */
@Component
public class DownloadOutcomes {

    public static final String CLIENT_ABORTED = "client_aborted";
    public static final String STORAGE_ERROR = "storage_error";
    public static final String INCOMPLETE = "incomplete";

    private static final Logger log = LoggerFactory.getLogger(DownloadOutcomes.class);

    private final EventPublisher publisher;
    private final MeterRegistry meters;
    private final Clock clock;

    DownloadOutcomes(EventPublisher publisher, MeterRegistry meters, Clock clock) {
        this.publisher = publisher;
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
        Counter bytes = meters.counter("drawbridge.download.bytes", "platform", platform);
        Flux<DataBuffer> counted = body.doOnCancel(() -> cancelled.set(true)).doOnNext(buffer -> {
            int n = buffer.readableByteCount();
            sent.addAndGet(n);
            bytes.increment(n);
            if (firstByte.compareAndSet(false, true)) {
                Timer.builder("drawbridge.download.ttfb")
                        .description("From the download request to the first body byte handed to the connection")
                        .tag("platform", platform)
                        .publishPercentileHistogram()
                        .register(meters)
                        .record(Duration.ofNanos(System.nanoTime() - delivery.startedNanos()));
            }
        });
        return write.apply(counted)
                .doOnSuccess(ignored -> {
                    long n = sent.get();
                    boolean complete =
                            !cancelled.get() && (delivery.promisedBytes() < 0 || n == delivery.promisedBytes());
                    // The server completes a write quietly when the connection was closed under it.
                    String failure = cancelled.get() ? CLIENT_ABORTED : INCOMPLETE;
                    report(delivery, n, complete ? null : failure, reported);
                })
                .doOnError(e -> report(delivery, sent.get(), reason(e), reported))
                .doOnCancel(() -> report(delivery, sent.get(), CLIENT_ABORTED, reported));
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
        return e instanceof StorageReadFailed ? STORAGE_ERROR : CLIENT_ABORTED;
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
                        clock.instant())
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
                        failure);
        log.info(
                "Download of grant {} ({}) {}: {} bytes from offset {}",
                delivery.grantId(),
                delivery.kind(),
                failure == null ? outcome : failure,
                bytesSent,
                delivery.rangeStart());
        // The response is over (or gone): publish on its own, it must not be cancelled with the response.
        publisher
                .publish(event)
                .subscribe(
                        null,
                        e -> log.error(
                                "Could not publish {} for grant {}",
                                event.getClass().getSimpleName(),
                                delivery.grantId(),
                                e));
    }
}
