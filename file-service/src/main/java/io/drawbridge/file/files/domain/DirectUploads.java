package io.drawbridge.file.files.domain;

import io.drawbridge.file.config.FileProperties;
import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.Rejection.Kind;
import io.drawbridge.file.storage.NoSuchObjectException;
import io.drawbridge.file.storage.ObjectStore;
import io.drawbridge.file.storage.StoredObject;
import io.drawbridge.file.storage.UploadedPart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Uploads that bypass this service: the seller gets presigned PUT URLs (one, or one per part for large files), PUTs
 * the bytes to the bucket, then asks to complete. Completion checks the object's size, reads it once for SHA-256,
 * CRC32 and the malware scan, and only then records the file. Uploads never completed are swept away.
 */
@Service
public class DirectUploads {

    private static final Logger log = LoggerFactory.getLogger(DirectUploads.class);
    private static final int MAX_PARTS = 10_000;
    private static final int READ_CHUNK = 4 * 1024 * 1024;

    private final UploadRepository uploads;
    private final FileRepository files;
    private final FileCatalog catalog;
    private final ObjectStore store;
    private final MalwareScanner scanner;
    private final FileProperties properties;
    private final UploadPolicy policy;
    private final Clock clock;

    public DirectUploads(
            UploadRepository uploads,
            FileRepository files,
            FileCatalog catalog,
            ObjectStore store,
            MalwareScanner scanner,
            FileProperties properties,
            Clock clock) {
        this.uploads = uploads;
        this.files = files;
        this.catalog = catalog;
        this.store = store;
        this.scanner = scanner;
        this.properties = properties;
        this.policy = catalog.policy();
        this.clock = clock;
    }

    /** A started upload and where to PUT its bytes. */
    public record Started(DirectUpload upload, List<PartTarget> targets) {}

    /** One presigned PUT: the whole object (part 0) or the bytes [offset, offset + length) as a part. */
    public record PartTarget(int partNumber, long offset, long length, String url) {}

    public Mono<Started> start(String originalName, long size, String contentType) {
        FileName name = FileName.of(originalName);
        String type = FileCatalog.normalise(contentType);
        policy.checkType(name, type);
        policy.checkSize(size);
        UUID id = UUID.randomUUID();
        String key = DirectUpload.stagingKeyFor(id);
        Instant now = now();
        Duration ttl = properties.presignTtl();
        Instant expiresAt = now.plus(ttl);
        if (size <= properties.directMultipartThreshold().toBytes()) {
            DirectUpload upload =
                    new DirectUpload(id, key, name, size, type, null, 0, DirectUpload.Status.PENDING, now, expiresAt);
            return uploads.insert(upload)
                    .then(Mono.fromCallable(() ->
                            new Started(upload, List.of(new PartTarget(0, 0, size, store.presignPut(key, ttl))))));
        }
        long partSize = Math.max(properties.directPartSize().toBytes(), (size + MAX_PARTS - 1) / MAX_PARTS);
        return store.createMultipart(key, type).flatMap(uploadId -> {
            DirectUpload upload = new DirectUpload(
                    id, key, name, size, type, uploadId, partSize, DirectUpload.Status.PENDING, now, expiresAt);
            return uploads.insert(upload)
                    .onErrorResume(e -> store.abortMultipart(key, uploadId).then(Mono.error(e)))
                    .then(Mono.fromCallable(() -> new Started(upload, targets(upload, ttl))));
        });
    }

    private List<PartTarget> targets(DirectUpload upload, Duration ttl) {
        List<PartTarget> targets = new ArrayList<>(upload.partCount());
        for (int part = 1; part <= upload.partCount(); part++) {
            long offset = (part - 1) * upload.partSize();
            long length = Math.min(upload.partSize(), upload.size() - offset);
            targets.add(new PartTarget(
                    part,
                    offset,
                    length,
                    store.presignPart(upload.objectKey(), upload.multipartUploadId(), part, ttl)));
        }
        return targets;
    }

    public Mono<DirectUpload> find(UUID id) {
        return uploads.find(id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /**
     * Completes the upload: the bytes must all be in the bucket with the declared size (else the upload stays open),
     * and match {@code expectedSha256} when given (else the object is removed). Completing again returns the file.
     */
    public Mono<StoredFile> complete(UUID id, String expectedSha256) {
        String expected = expectedSha256 == null || expectedSha256.isBlank()
                ? null
                : expectedSha256.strip().toLowerCase(Locale.ROOT);
        if (expected != null && !isSha256(expected)) {
            return Mono.error(
                    new Rejection(Kind.INVALID, "validation_failed", "sha256 must be 64 hexadecimal digits."));
        }
        return find(id).flatMap(upload -> switch (upload.status()) {
            case COMPLETED -> files.find(id).switchIfEmpty(Mono.error(() -> notFound(id)));
            case COMPLETING ->
                Mono.error(new Rejection(
                        Kind.CONFLICT, "upload_completing", "Upload " + id + " is being completed right now."));
            case PENDING -> {
                if (now().isAfter(upload.expiresAt().plus(properties.uploadCleanupGrace()))) {
                    yield Mono.error(expired(id));
                }
                yield uploads.claim(id)
                        .switchIfEmpty(Mono.error(() -> new Rejection(
                                Kind.CONFLICT, "upload_completing", "Upload " + id + " is being completed right now.")))
                        .flatMap(claimed -> assemble(claimed)
                                .flatMap(object -> freeze(claimed))
                                .onErrorResume(e -> uploads.release(id).then(Mono.error(e)))
                                .flatMap(object -> verifyAndRecord(claimed, expected))
                                .flatMap(file -> removeStaging(claimed).thenReturn(file))
                                .doOnCancel(() -> uploads.release(id).subscribe()));
            }
        });
    }

    /** Makes sure the object exists with the declared size (completing the multipart upload first). */
    private Mono<StoredObject> assemble(DirectUpload upload) {
        Mono<Void> completed = upload.multipart()
                ? store.uploadedParts(upload.objectKey(), upload.multipartUploadId())
                        .flatMap(parts -> completeParts(upload, parts))
                        .onErrorResume(NoSuchObjectException.class, e -> Mono.empty()) // an earlier attempt did it
                : Mono.empty();
        return completed
                .then(store.stat(upload.objectKey()))
                .switchIfEmpty(Mono.error(() -> incomplete(upload, 0)))
                .flatMap(object -> {
                    if (object.size() == upload.size()) {
                        return Mono.just(object);
                    }
                    if (upload.multipart()) {
                        return Mono.error(incomplete(upload, object.size()));
                    }
                    return store.remove(upload.objectKey())
                            .then(Mono.error(new Rejection(
                                    Kind.UNPROCESSABLE,
                                    "size_mismatch",
                                    "The uploaded object has " + object.size() + " bytes, not the declared "
                                            + upload.size() + "; it was removed. PUT the right file again "
                                            + "before " + upload.expiresAt() + ".")));
                });
    }

    /**
     * Copies the staged bytes to the file's own key, which no presigned URL writes: what is verified next, and what
     * buyers get, can no longer be replaced by another PUT.
     */
    private Mono<DirectUpload> freeze(DirectUpload upload) {
        if (upload.objectKey().equals(upload.fileKey())) {
            return Mono.just(upload); // started before staging keys: nothing to copy
        }
        return store.copy(upload.objectKey(), upload.fileKey()).thenReturn(upload);
    }

    private Mono<Void> removeStaging(DirectUpload upload) {
        if (upload.objectKey().equals(upload.fileKey())) {
            return Mono.empty();
        }
        return store.remove(upload.objectKey()).onErrorResume(e -> {
            log.warn("Could not remove the staged object of upload {}: {}", upload.id(), e.toString());
            return Mono.empty();
        });
    }

    /** Completes the multipart upload only when parts 1..n are all there and add up to the declared size. */
    private Mono<Void> completeParts(DirectUpload upload, List<UploadedPart> parts) {
        long present = 0;
        for (int i = 0; i < parts.size(); i++) {
            present += parts.get(i).size();
            if (parts.get(i).number() != i + 1) {
                return Mono.error(incomplete(upload, present));
            }
        }
        if (present != upload.size() || parts.size() != upload.partCount()) {
            return Mono.error(incomplete(upload, present));
        }
        return store.completeMultipart(upload.objectKey(), upload.multipartUploadId(), parts);
    }

    private Mono<StoredFile> verifyAndRecord(DirectUpload upload, String expected) {
        ContentDigest digest = new ContentDigest();
        Mono<StoredFile> stored = Mono.usingWhen(
                ContentInspection.start(scanner),
                inspection -> inspection
                        .inspect(store.read(upload.fileKey(), READ_CHUNK)
                                .doOnNext(chunk -> digest.accept(chunk.data(), 0, chunk.length())))
                        .then(inspection
                                .verdict()
                                .map(FileCatalog.Detected::new)
                                .defaultIfEmpty(FileCatalog.Detected.NONE))
                        .flatMap(detected -> {
                            ContentDigest.Checksums checksums = digest.finish();
                            if (checksums.size() != upload.size()) {
                                return Mono.error(incomplete(upload, checksums.size()));
                            }
                            if (expected != null && !expected.equals(checksums.sha256())) {
                                return Mono.error(new Rejection(
                                        Kind.UNPROCESSABLE,
                                        "checksum_mismatch",
                                        "The uploaded bytes have SHA-256 " + checksums.sha256() + ", not " + expected
                                                + "; the object was removed. Start a new upload."));
                            }
                            StoredFile file = new StoredFile(
                                    upload.id(),
                                    upload.fileKey(),
                                    upload.name(),
                                    checksums.size(),
                                    checksums.sha256(),
                                    checksums.crc32(),
                                    upload.contentType(),
                                    ContentInspection.status(detected.verdict()),
                                    detected.signature(),
                                    now());
                            return catalog.recordCompleted(file, uploads.markCompleted(upload.id()));
                        }),
                ContentInspection::closeAsync);
        return stored.onErrorResume(e -> {
            if (e instanceof Rejection rejection && "checksum_mismatch".equals(rejection.error())) {
                return store.remove(upload.objectKey())
                        .then(store.remove(upload.fileKey()))
                        .then(uploads.deleteUnfinished(upload.id()))
                        .then(Mono.error(e));
            }
            return uploads.release(upload.id()).then(Mono.error(e));
        });
    }

    /**
     * Removes direct uploads whose URLs expired more than the grace period ago (their parts and objects too), and
     * multipart uploads that belong to nothing and are older than {@code orphanMultipartAge}.
     */
    public Mono<Integer> sweep() {
        Instant now = now();
        Mono<Integer> expired = uploads.unfinishedExpiredBefore(now.minus(properties.uploadCleanupGrace()))
                .concatMap(upload -> (upload.multipart()
                                ? store.abortMultipart(upload.objectKey(), upload.multipartUploadId())
                                : Mono.<Void>empty())
                        .then(store.remove(upload.objectKey()))
                        .then(store.remove(upload.fileKey()))
                        .then(uploads.deleteUnfinished(upload.id()))
                        .doOnNext(deleted -> log.info("Removed expired direct upload {}", upload.id()))
                        .onErrorResume(e -> {
                            log.warn("Could not remove expired upload {}: {}", upload.id(), e.toString());
                            return Mono.just(false);
                        }))
                .filter(Boolean::booleanValue)
                .count()
                .map(Math::toIntExact);
        Instant orphanBefore = now.minus(properties.orphanMultipartAge());
        Mono<Integer> orphans = uploads.multipartUploadIds()
                .flatMap(owned -> Flux.concat(
                                store.pendingMultiparts(DirectUpload.STAGING_PREFIX), store.pendingMultiparts("files/"))
                        .filter(pending -> !owned.contains(pending.uploadId()))
                        .filter(pending -> pending.initiated() != null
                                && pending.initiated().isBefore(orphanBefore))
                        .concatMap(pending -> store.abortMultipart(pending.key(), pending.uploadId())
                                .doOnSuccess(v -> log.info("Aborted orphaned multipart upload of {}", pending.key()))
                                .thenReturn(1))
                        .count()
                        .map(Math::toIntExact))
                .onErrorResume(e -> {
                    log.warn("Could not list multipart uploads: {}", e.toString());
                    return Mono.just(0);
                });
        return expired.zipWith(orphans, Integer::sum);
    }

    private static boolean isSha256(String value) {
        if (value.length() != 64) {
            return false;
        }
        try {
            HexFormat.of().parseHex(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Rejection notFound(UUID id) {
        return new Rejection(Kind.NOT_FOUND, "upload_not_found", "There is no upload " + id + ".");
    }

    static Rejection expired(UUID id) {
        return new Rejection(
                Kind.GONE, "upload_expired", "Upload " + id + " expired before it was completed; start a new one.");
    }

    static Rejection incomplete(DirectUpload upload, long present) {
        return new Rejection(
                Kind.CONFLICT,
                "upload_incomplete",
                "The bucket holds " + present + " of the " + upload.size() + " bytes declared for upload "
                        + upload.id() + "; PUT " + (upload.multipart() ? "every part" : "the file")
                        + " before completing.");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
