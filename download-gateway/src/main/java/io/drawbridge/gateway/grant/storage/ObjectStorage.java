package io.drawbridge.gateway.grant.storage;

import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.PublicError;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads objects from the S3-compatible store with the MinIO client. The client blocks, so every call and every
 * read runs on the bounded elastic scheduler, never on an event loop; bodies flow as bounded buffers, a file is
 * never held in memory.
 */
@Component
public class ObjectStorage {

    private static final Logger log = LoggerFactory.getLogger(ObjectStorage.class);
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");

    private final MinioClient minio;
    private final String bucket;
    private final int bufferSize;
    private final Duration retryAfter;

    ObjectStorage(MinioClient minio, GatewayProperties properties) {
        this.minio = minio;
        this.bucket = properties.storage().bucket();
        this.bufferSize = (int) properties.storage().bufferSize().toBytes();
        this.retryAfter = properties.retryAfter();
    }

    /** Opens {@code [offset, offset + length)} of an object; refusals for a missing object or a broken store. */
    public Mono<InputStream> open(String objectKey, long offset, long length) {
        return Mono.fromCallable(() -> openBlocking(objectKey, offset, length))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(e -> refusal(objectKey, e));
    }

    /** Checks that every object exists before a response is committed to streaming them. */
    public Mono<Void> requireAll(Iterable<String> objectKeys) {
        return Flux.fromIterable(objectKeys)
                .concatMap(key -> Mono.fromCallable(() -> minio.statObject(StatObjectArgs.builder()
                                .bucket(bucket)
                                .object(key)
                                .build()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorMap(e -> refusal(key, e)))
                .then();
    }

    /**
     * The stream's bytes as buffers of the configured size, read on the bounded elastic scheduler as the
     * consumer asks for them; the stream is closed on completion, error and cancel (off the event loop).
     */
    public Flux<DataBuffer> read(InputStream stream, DataBufferFactory buffers) {
        return DataBufferUtils.readInputStream(() -> stream, buffers, bufferSize)
                .subscribeOn(Schedulers.boundedElastic())
                // A client going away cancels on the event loop; closing the S3 stream drains the connection.
                .cancelOn(Schedulers.boundedElastic())
                .onErrorMap(e -> !(e instanceof StorageReadFailed), e -> new StorageReadFailed("object read failed", e))
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    /** Blocking open for writers that already run off the event loop (the ZIP writer). */
    public InputStream openBlocking(String objectKey, long offset, long length) throws IOException {
        try {
            GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(bucket).object(objectKey);
            if (offset > 0) {
                args.offset(offset);
            }
            if (length >= 0) {
                args.length(length);
            }
            return minio.getObject(args.build());
        } catch (ErrorResponseException e) {
            throw new StorageObjectMissing(objectKey, e);
        } catch (MinioException e) {
            if (e.getCause() instanceof ErrorResponseException response) {
                throw new StorageObjectMissing(objectKey, response);
            }
            throw new IOException("cannot open object " + objectKey, e);
        }
    }

    public int bufferSize() {
        return bufferSize;
    }

    private Throwable refusal(String objectKey, Throwable e) {
        Throwable cause = e;
        if (cause instanceof StorageObjectMissing missing && missing.missing()) {
            log.warn("Object {} not found in bucket {}", objectKey, bucket);
            return DownloadRefused.of(PublicError.FILE_NOT_FOUND);
        }
        if (cause instanceof ErrorResponseException er
                && MISSING.contains(er.errorResponse().code())) {
            log.warn("Object {} not found in bucket {}", objectKey, bucket);
            return DownloadRefused.of(PublicError.FILE_NOT_FOUND);
        }
        if (cause instanceof MinioException me
                && me.getCause() instanceof ErrorResponseException er
                && MISSING.contains(er.errorResponse().code())) {
            log.warn("Object {} not found in bucket {}", objectKey, bucket);
            return DownloadRefused.of(PublicError.FILE_NOT_FOUND);
        }
        log.warn("Storage unavailable for {}: {}", objectKey, cause.toString());
        return DownloadRefused.of(PublicError.STORAGE_UNAVAILABLE).retryAfter(retryAfter);
    }

    /** S3 answered with an error document when opening an object. */
    static final class StorageObjectMissing extends IOException {
        private final String code;

        StorageObjectMissing(String objectKey, ErrorResponseException e) {
            super("S3 error " + e.errorResponse().code() + " for " + objectKey, e);
            this.code = e.errorResponse().code();
        }

        boolean missing() {
            return MISSING.contains(code);
        }
    }
}
