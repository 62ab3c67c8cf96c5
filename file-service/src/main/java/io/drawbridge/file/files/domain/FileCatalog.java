package io.drawbridge.file.files.domain;

import io.drawbridge.events.FileDeleted;
import io.drawbridge.events.FileStored;
import io.drawbridge.file.config.FileProperties;
import io.drawbridge.file.files.domain.ContentDigest.Checksums;
import io.drawbridge.file.shared.Page;
import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.Rejection.Kind;
import io.drawbridge.file.storage.ByteSink;
import io.drawbridge.file.storage.Chunk;
import io.drawbridge.file.storage.ChunkedContent;
import io.drawbridge.file.storage.ObjectStore;
import io.drawbridge.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The files sellers sell. A file becomes visible (row, FileStored) only once its object is complete in the bucket,
 * checksummed and, when a scanner is configured, scanned; an upload that fails or is cancelled leaves neither row nor
 * object behind.
 */
@Service
public class FileCatalog {

    private static final Logger log = LoggerFactory.getLogger(FileCatalog.class);
    /** How much of a refused upload's content is still read (and dropped) before the refusal is answered. */
    static final long REFUSED_READ_LIMIT = 2L * 1024 * 1024;

    private final FileRepository files;
    private final ObjectStore store;
    private final MalwareScanner scanner;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final UploadPolicy policy;
    private final int partSize;
    private final Clock clock;

    public FileCatalog(
            FileRepository files,
            ObjectStore store,
            MalwareScanner scanner,
            Outbox outbox,
            TransactionalOperator tx,
            FileProperties properties,
            Clock clock) {
        this.files = files;
        this.store = store;
        this.scanner = scanner;
        this.outbox = outbox;
        this.tx = tx;
        this.policy = new UploadPolicy(properties);
        this.partSize = Math.toIntExact(properties.partSize().toBytes());
        this.clock = clock;
    }

    public UploadPolicy policy() {
        return policy;
    }

    /**
     * Streams {@code content} into the bucket while computing size, SHA-256 and CRC32, then records the file. Nothing
     * holds more than a few parts of it in memory.
     */
    public Mono<StoredFile> upload(String originalName, String contentType, Flux<DataBuffer> content) {
        FileName name = FileName.of(originalName);
        String type = normalise(contentType);
        try {
            policy.checkType(name, type);
        } catch (Rejection refusal) {
            return refuse(refusal, content);
        }
        UUID id = UUID.randomUUID();
        String key = StoredFile.objectKeyFor(id);
        ContentDigest digest = new ContentDigest();
        ByteSink limited = (bytes, offset, length) -> {
            digest.accept(bytes, offset, length);
            if (digest.size() > policy.maxSize()) {
                throw policy.tooLarge();
            }
        };
        Flux<Chunk> chunks = ChunkedContent.split(content, partSize, limited).doOnNext(chunk -> {
            if (chunk.last() && digest.size() == 0) {
                throw UploadPolicy.empty();
            }
        });
        Mono<StoredFile> stored = Mono.usingWhen(
                ContentInspection.start(scanner),
                inspection -> store.write(key, type, inspection.inspect(chunks))
                        .then(inspection.verdict().map(Detected::new).defaultIfEmpty(Detected.NONE))
                        .flatMap(detected -> record(
                                new StoredFile(
                                        id,
                                        key,
                                        name,
                                        digest.size(),
                                        null,
                                        null,
                                        type,
                                        ContentInspection.status(detected.verdict()),
                                        detected.signature(),
                                        now()),
                                digest.finish())),
                ContentInspection::closeAsync);
        return withCleanup(stored, id, key);
    }

    /**
     * Refuses after reading (and dropping) the content, up to {@link #REFUSED_READ_LIMIT}: a content abandoned unread
     * is cancelled in the middle of the multipart decoder's work, which then releases a request buffer twice (Netty's
     * {@code IllegalReferenceCountException} after refused uploads with a small body).
     */
    private static Mono<StoredFile> refuse(Rejection refusal, Flux<DataBuffer> content) {
        AtomicLong read = new AtomicLong();
        return content.doOnNext(buffer -> {
                    read.addAndGet(buffer.readableByteCount());
                    DataBufferUtils.release(buffer);
                })
                .takeUntil(buffer -> read.get() >= REFUSED_READ_LIMIT)
                .then(Mono.error(refusal));
    }

    /**
     * On error or cancellation, whatever reached the bucket under {@code key} is removed, unless the file was
     * recorded (a cancellation can race with the commit: the row decides).
     */
    Mono<StoredFile> withCleanup(Mono<StoredFile> stored, UUID id, String key) {
        return stored.onErrorResume(error -> removeUnlessRecorded(id, key).then(Mono.error(error)))
                .doOnCancel(() -> removeUnlessRecorded(id, key)
                        .doFirst(() -> log.info("Upload to {} cancelled; removing what was stored", key))
                        .subscribe());
    }

    private Mono<Void> removeUnlessRecorded(UUID id, String key) {
        return files.find(id)
                .hasElement()
                .flatMap(recorded -> recorded ? Mono.<Void>empty() : store.remove(key))
                .onErrorResume(e -> {
                    log.warn("Could not remove {} after a failed upload: {}", key, e.toString());
                    return Mono.empty();
                });
    }

    /** Inserts the row (and FileStored unless quarantined) in one transaction. */
    Mono<StoredFile> record(StoredFile draft, Checksums checksums) {
        StoredFile file = new StoredFile(
                draft.id(),
                draft.objectKey(),
                draft.name(),
                checksums.size(),
                checksums.sha256(),
                checksums.crc32(),
                draft.contentType(),
                draft.scanStatus(),
                draft.scanSignature(),
                draft.createdAt());
        return tx.transactional(insertAndAnnounce(file)).thenReturn(file);
    }

    /** Records a verified direct upload in the transaction that marks the upload completed. */
    Mono<StoredFile> recordCompleted(StoredFile file, Mono<Boolean> markCompleted) {
        return tx.transactional(markCompleted.flatMap(
                        marked -> marked ? insertAndAnnounce(file) : Mono.error(DirectUploads.expired(file.id()))))
                .thenReturn(file);
    }

    Mono<Void> insertAndAnnounce(StoredFile file) {
        Mono<Void> insert = files.insert(file);
        if (!file.available()) {
            log.warn("File {} is quarantined: {}", file.id(), file.scanSignature());
            return insert;
        }
        return insert.then(outbox.append(new FileStored(
                file.id(),
                file.objectKey(),
                file.name().value(),
                file.size(),
                file.sha256(),
                file.crc32(),
                file.contentType(),
                file.scanStatus().code(),
                file.createdAt())));
    }

    public Mono<StoredFile> find(UUID id) {
        return files.find(id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    public Mono<Page<StoredFile>> search(String query, int page, int size) {
        return files.search(query == null || query.isBlank() ? null : query.strip(), page, size);
    }

    /**
     * Deletes the row (with FileDeleted) and then the object. Refused while a release uses the file: releases are
     * published, and a customer's link may point at them.
     */
    public Mono<Void> delete(UUID id) {
        return find(id).flatMap(file -> files.usedByRelease(id)
                .flatMap(used -> used
                        ? Mono.error(inUse(id))
                        : tx.transactional(files.delete(id)
                                .filter(Boolean::booleanValue)
                                .switchIfEmpty(Mono.error(() -> notFound(id)))
                                .then(outbox.append(new FileDeleted(id, file.objectKey(), now())))))
                .then(store.remove(file.objectKey()).onErrorResume(e -> {
                    log.warn("File {} deleted but its object {} stays: {}", id, file.objectKey(), e.toString());
                    return Mono.empty();
                })));
    }

    static Rejection notFound(UUID id) {
        return new Rejection(Kind.NOT_FOUND, "file_not_found", "There is no file " + id + ".");
    }

    static Rejection inUse(UUID id) {
        return new Rejection(
                Kind.CONFLICT, "file_in_use", "File " + id + " is part of a published release and cannot be deleted.");
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static String normalise(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/octet-stream";
        }
        String clean = contentType.strip();
        for (int i = 0; i < clean.length(); i++) {
            if (Character.isISOControl(clean.charAt(i))) {
                return "application/octet-stream";
            }
        }
        return clean.length() > 255 ? "application/octet-stream" : clean;
    }

    /** A verdict or none (Reactor has no null values). */
    record Detected(MalwareScanner.Verdict verdict) {
        static final Detected NONE = new Detected(null);

        String signature() {
            return verdict == null ? null : verdict.signature();
        }
    }
}
