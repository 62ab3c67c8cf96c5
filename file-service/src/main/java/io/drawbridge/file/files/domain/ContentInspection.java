package io.drawbridge.file.files.domain;

import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.Rejection.Kind;
import io.drawbridge.file.storage.Chunk;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Passes a file's chunks through the malware scanner, when one is configured, on their way to or from the bucket:
 * the bytes are read once for checksums, scanning and storage together.
 */
final class ContentInspection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContentInspection.class);

    private final MalwareScanner.Scan scan;

    private ContentInspection(MalwareScanner.Scan scan) {
        this.scan = scan;
    }

    static Mono<ContentInspection> start(MalwareScanner scanner) {
        if (!scanner.enabled()) {
            return Mono.just(new ContentInspection(null));
        }
        return Mono.fromCallable(() -> new ContentInspection(scanner.open()))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(IOException.class, ContentInspection::unavailable);
    }

    Flux<Chunk> inspect(Flux<Chunk> chunks) {
        if (scan == null) {
            return chunks;
        }
        return chunks.concatMap(
                chunk -> Mono.fromCallable(() -> {
                            scan.send(chunk.data(), 0, chunk.length());
                            return chunk;
                        })
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorMap(IOException.class, ContentInspection::unavailable),
                1);
    }

    /** The scan status once every chunk went through {@link #inspect}. */
    Mono<MalwareScanner.Verdict> verdict() {
        if (scan == null) {
            return Mono.empty();
        }
        return Mono.fromCallable(scan::finish)
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(IOException.class, ContentInspection::unavailable);
    }

    static ScanStatus status(MalwareScanner.Verdict verdict) {
        if (verdict == null) {
            return ScanStatus.NOT_SCANNED;
        }
        return verdict.infected() ? ScanStatus.INFECTED : ScanStatus.CLEAN;
    }

    private static Rejection unavailable(IOException e) {
        log.warn("Malware scan failed: {}", e.toString());
        return new Rejection(
                Kind.UNAVAILABLE,
                "scan_failed",
                "The malware scanner could not scan the file (" + e.getMessage() + "); nothing was stored. "
                        + "Try again later.");
    }

    @Override
    public void close() {
        if (scan != null) {
            scan.close();
        }
    }

    Mono<Void> closeAsync() {
        return Mono.<Void>fromRunnable(this::close).subscribeOn(Schedulers.boundedElastic());
    }
}
