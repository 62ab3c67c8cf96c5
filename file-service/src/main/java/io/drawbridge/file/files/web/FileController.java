package io.drawbridge.file.files.web;

import static io.drawbridge.file.shared.web.Problems.answer;

import io.drawbridge.file.config.FileProperties;
import io.drawbridge.file.files.domain.FileCatalog;
import io.drawbridge.file.files.domain.StoredFile;
import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.web.PageResponse;
import io.drawbridge.platform.web.ProblemException;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Uploads through the service: the multipart body is read as a stream of part events, and the {@code file} part's
 * bytes go straight to the bucket; nothing is buffered to disk or held whole in memory. Only the first such part
 * is stored; other parts are read and dropped (the response must wait for the whole body anyway).
 *
 * <p>A refused upload (type, size, empty) is answered after the rest of the body was read and dropped, up to
 * {@code drawbridge.file.refused-drain-size} / {@code refused-drain-time}. A client that sends its body without
 * Content-Length (chunked) can only be refused once the limit was read, while it is still sending; answering then
 * closes the connection under it, and the client sees a reset instead of the 413. Read to its end, the body is done
 * when the answer goes out, and the connection even stays open. Cancelling the multipart decoder in the middle of a
 * network buffer also has a request buffer released twice (Netty's {@code IllegalReferenceCountException}, which
 * breaks the HTTP decoder and resets the connection), so it is only cancelled beyond those bounds: a client that
 * sends more than that after the refusal gets the answer at once and the connection is closed.
 */
@RestController
@RequestMapping("/api/v1/files")
class FileController {

    static final String FILE_FIELD = "file";
    /** Room for the multipart envelope (boundaries, part headers, small fields) around the file's bytes. */
    private static final long ENVELOPE_ALLOWANCE = 1024 * 1024;

    private final FileCatalog files;
    /** How much of the body after a refusal is still read (and dropped) before the refusal is answered. */
    private final long refusedDrainSize;
    /** For how long after the refusal (checked as bytes arrive). */
    private final long refusedDrainNanos;

    FileController(FileCatalog files, FileProperties properties) {
        this.files = files;
        this.refusedDrainSize = properties.refusedDrainSize().toBytes();
        this.refusedDrainNanos = properties.refusedDrainTime().toNanos();
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<FileResponse>> upload(
            @RequestHeader(value = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength,
            @RequestBody Flux<PartEvent> parts) {
        return answer(() -> {
            if (contentLength != null && contentLength > files.policy().maxSize() + ENVELOPE_ALLOWANCE) {
                return Mono.error(files.policy().tooLarge());
            }
            AtomicBoolean taken = new AtomicBoolean();
            AtomicReference<Rejection> refused = new AtomicReference<>();
            AtomicLong drained = new AtomicLong();
            AtomicLong refusedAt = new AtomicLong();
            return parts.doOnNext(event -> {
                        if (refused.get() != null) {
                            drained.addAndGet(event.content().readableByteCount());
                            refusedAt.compareAndSet(0, System.nanoTime());
                        }
                    })
                    .takeUntil(event -> drained.get() > refusedDrainSize
                            || (refusedAt.get() != 0 && System.nanoTime() - refusedAt.get() > refusedDrainNanos))
                    .windowUntil(PartEvent::isLast)
                    .concatMap(part -> part.switchOnFirst((first, events) -> {
                        if (first.get() instanceof FilePartEvent file
                                && FILE_FIELD.equals(file.name())
                                && taken.compareAndSet(false, true)) {
                            return files.upload(file.filename(), contentType(file), events.map(PartEvent::content))
                                    .onErrorResume(Rejection.class, rejection -> {
                                        refused.set(rejection); // answered once the body is read (or the bound)
                                        return Mono.empty();
                                    });
                        }
                        return events.doOnNext(event -> DataBufferUtils.release(event.content()))
                                .then(Mono.<StoredFile>empty());
                    }))
                    .doOnDiscard(PartEvent.class, event -> DataBufferUtils.release(event.content()))
                    .singleOrEmpty()
                    .switchIfEmpty(Mono.error(() -> refused.get() != null
                            ? refused.get()
                            : new ProblemException(
                                    HttpStatus.BAD_REQUEST,
                                    "missing_file",
                                    "The multipart body has no file part named '" + FILE_FIELD + "'.")))
                    .map(stored -> ResponseEntity.created(URI.create("/api/v1/files/" + stored.id()))
                            .body(FileResponse.of(stored)));
        });
    }

    private static String contentType(FilePartEvent file) {
        MediaType type = file.headers().getContentType();
        return type == null ? null : type.toString();
    }

    @GetMapping
    Mono<PageResponse<FileResponse>> list(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return answer(() -> files.search(q, PageResponse.page(page), PageResponse.size(size))
                .map(result -> PageResponse.of(result, FileResponse::of)));
    }

    @GetMapping("/{id}")
    Mono<FileResponse> get(@PathVariable UUID id) {
        return answer(() -> files.find(id).map(FileResponse::of));
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable UUID id) {
        return answer(
                () -> files.delete(id).thenReturn(ResponseEntity.noContent().build()));
    }
}
