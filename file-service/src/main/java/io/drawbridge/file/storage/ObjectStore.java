package io.drawbridge.file.storage;

import io.drawbridge.file.config.FileProperties;
import io.drawbridge.file.config.S3Properties;
import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CopyObjectArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetBucketLifecycleArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListPartsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectAPIArgs;
import io.minio.RemoveObjectArgs;
import io.minio.SetBucketLifecycleArgs;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Filter;
import io.minio.messages.LifecycleConfiguration;
import io.minio.messages.ListMultipartUploadsResult;
import io.minio.messages.Part;
import io.minio.messages.Status;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The bucket that holds every file's bytes. Writes stream: small objects are one PUT, larger ones an S3 multipart
 * upload with a bounded number of parts in flight, aborted when the stream fails or is cancelled, so that a broken
 * upload leaves no object and no dangling parts.
 *
 * <p>The MinIO async client runs requests on OkHttp's threads; the one blocking call (reading an object's stream) runs
 * on {@link Schedulers#boundedElastic()}. Nothing here blocks a Netty event loop.
 */
public class ObjectStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ObjectStore.class);
    private static final int MAX_PARTS_PER_LIST = 1000;

    private final MinioAsyncClient client;
    private final MinioAsyncClient presigner;
    private final String bucket;
    private final int partsInFlight;
    private final HttpClient http;
    private final ConnectionProvider connections;

    /** Part URLs are used at once; the margin covers a slow part on a slow link. */
    private static final Duration PART_URL_TTL = Duration.ofHours(1);

    public ObjectStore(MinioAsyncClient client, MinioAsyncClient presigner, S3Properties s3, FileProperties files) {
        this.client = client;
        this.presigner = presigner;
        this.bucket = s3.bucket();
        this.partsInFlight = files.partsInFlight();
        this.connections = ConnectionProvider.builder("s3-parts")
                .maxConnections(Math.max(4, partsInFlight * 4))
                .pendingAcquireMaxCount(-1)
                .build();
        this.http = HttpClient.create(connections).responseTimeout(Duration.ofMinutes(5));
    }

    /** Releases the part uploader's connections and the presigning client. */
    @Override
    public void close() throws Exception {
        connections.dispose();
        presigner.close();
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket if it is missing (dev stack, tests); production buckets are provisioned. */
    public Mono<Void> ensureBucket() {
        return call(() -> client.bucketExists(
                        BucketExistsArgs.builder().bucket(bucket).build()))
                .flatMap(exists -> exists
                        ? Mono.<Void>empty()
                        : call(() -> client.makeBucket(
                                        MakeBucketArgs.builder().bucket(bucket).build()))
                                .then());
    }

    /**
     * Makes the bucket's lifecycle delete objects under {@code prefix} {@code days} after they were written (rule
     * {@code id}), keeping every other rule the bucket has (an operator's own rules are not replaced). Fails with
     * {@link StorageUnavailableException} when the S3 server refuses lifecycle rules (some S3-compatible servers do).
     */
    public Mono<Void> ensureExpiryRule(String id, String prefix, int days) {
        LifecycleConfiguration.Rule rule = new LifecycleConfiguration.Rule(
                Status.ENABLED,
                null,
                new LifecycleConfiguration.Expiration((ZonedDateTime) null, days, null, null),
                new Filter(prefix),
                id,
                null,
                null,
                null);
        return call(() -> client.getBucketLifecycle(
                        GetBucketLifecycleArgs.builder().bucket(bucket).build()))
                .onErrorResume(NoSuchObjectException.class, none -> Mono.empty())
                .onErrorResume(
                        e -> e.getMessage() != null && e.getMessage().contains("NoSuchLifecycleConfiguration"),
                        none -> Mono.empty())
                .map(existing -> existing.rules() == null ? List.<LifecycleConfiguration.Rule>of() : existing.rules())
                .defaultIfEmpty(List.of())
                .flatMap(rules -> {
                    List<LifecycleConfiguration.Rule> kept = new ArrayList<>();
                    rules.stream().filter(other -> !id.equals(other.id())).forEach(kept::add);
                    kept.add(rule);
                    return call(() -> client.setBucketLifecycle(SetBucketLifecycleArgs.builder()
                            .bucket(bucket)
                            .config(new LifecycleConfiguration(kept))
                            .build()));
                })
                .then();
    }

    /**
     * Stores a stream of chunks (see {@link ChunkedContent}) under {@code key}. A stream whose first chunk is the last
     * is one PUT; otherwise each non-empty chunk is a part of a multipart upload. An error or cancellation of the stream
     * aborts the multipart upload.
     */
    public Mono<Void> write(String key, String contentType, Flux<Chunk> chunks) {
        return chunks.switchOnFirst((first, all) -> {
                    if (first.hasValue() && first.get().last()) {
                        return all.last().flatMap(only -> put(key, contentType, only));
                    }
                    if (first.hasValue()) {
                        return writeMultipart(key, contentType, all);
                    }
                    return all.then();
                })
                .then();
    }

    private Mono<Void> put(String key, String contentType, Chunk chunk) {
        return call(() -> client.putObject(PutObjectAPIArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .contentType(contentType)
                        .data(chunk.data(), chunk.length())
                        .build()))
                .then();
    }

    private Mono<Void> writeMultipart(String key, String contentType, Flux<Chunk> all) {
        Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
        return Mono.usingWhen(
                createMultipart(key, contentType),
                uploadId -> all.filter(chunk -> chunk.length() > 0)
                        .index()
                        .flatMapSequential(
                                numbered -> uploadPart(
                                        key,
                                        uploadId,
                                        Math.toIntExact(numbered.getT1() + 1),
                                        numbered.getT2(),
                                        inFlight),
                                partsInFlight,
                                1)
                        .collectList()
                        .flatMap(parts -> complete(key, uploadId, parts)),
                uploadId -> Mono.empty(),
                (uploadId, error) -> settle(inFlight).then(abortMultipart(key, uploadId)),
                uploadId -> settle(inFlight).then(abortMultipart(key, uploadId)));
    }

    /**
     * Waits for part uploads already sent to end: a part that lands after the abort would leave a multipart upload
     * behind.
     */
    private static Mono<Void> settle(Set<CompletableFuture<?>> inFlight) {
        CompletableFuture<?>[] pending = inFlight.toArray(CompletableFuture[]::new);
        return Mono.fromFuture(CompletableFuture.allOf(pending).handle((ok, error) -> null), true)
                .timeout(Duration.ofMinutes(5), Mono.empty())
                .then();
    }

    /**
     * PUTs one part through a presigned URL with Reactor Netty: the payload is unsigned (the URL is signed), so
     * neither this service nor the S3 server hashes it again just for the request signature, and nothing blocks.
     * The request runs to its end even if the upload is cancelled meanwhile: the abort waits for it ({@link #settle}).
     */
    private Mono<Part> uploadPart(
            String key, String uploadId, int partNumber, Chunk chunk, Set<CompletableFuture<?>> inFlight) {
        return Mono.defer(() -> {
                    String url = presign(
                            client,
                            key,
                            PART_URL_TTL,
                            Map.of("uploadId", uploadId, "partNumber", Integer.toString(partNumber)));
                    CompletableFuture<Part> future = http.put()
                            .uri(url)
                            .send((request, out) -> {
                                request.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(chunk.length()));
                                return out.send(Mono.fromSupplier(
                                        () -> Unpooled.wrappedBuffer(chunk.data(), 0, chunk.length())));
                            })
                            .responseSingle((response, body) -> {
                                String etag = response.responseHeaders().get(HttpHeaderNames.ETAG);
                                if (response.status().code() == 200 && etag != null) {
                                    return body.then(Mono.just(new Part(partNumber, etag)));
                                }
                                return body.asString(StandardCharsets.UTF_8)
                                        .defaultIfEmpty("")
                                        .flatMap(text -> Mono.error(new StorageUnavailableException(
                                                "S3 answered " + response.status() + " to part " + partNumber + ": "
                                                        + text.substring(0, Math.min(text.length(), 300)),
                                                null)));
                            })
                            .toFuture();
                    inFlight.add(future);
                    future.whenComplete((part, error) -> inFlight.remove(future));
                    return Mono.fromFuture(future, true);
                })
                .onErrorMap(
                        e -> !(e instanceof StorageUnavailableException),
                        e -> new StorageUnavailableException("Uploading part " + partNumber + " failed: " + e, e));
    }

    private Mono<Void> complete(String key, String uploadId, List<Part> parts) {
        return call(() -> client.completeMultipartUpload(CompleteMultipartUploadArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .uploadId(uploadId)
                        .parts(parts.toArray(Part[]::new))
                        .build()))
                .then();
    }

    /** Starts a multipart upload whose parts someone else PUTs (direct uploads). */
    public Mono<String> createMultipart(String key, String contentType) {
        return call(() -> client.createMultipartUpload(CreateMultipartUploadArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .headers(new Http.Headers(Map.of(Http.Headers.CONTENT_TYPE, contentType)))
                        .build()))
                .map(response -> response.result().uploadId());
    }

    /** The parts S3 holds for a multipart upload, in part-number order; NoSuchObjectException if it is gone. */
    public Mono<List<UploadedPart>> uploadedParts(String key, String uploadId) {
        return listParts(key, uploadId, 0, new ArrayList<>());
    }

    /** Completes a multipart upload with the given parts. */
    public Mono<Void> completeMultipart(String key, String uploadId, List<UploadedPart> parts) {
        return complete(
                key,
                uploadId,
                parts.stream().map(part -> new Part(part.number(), part.etag())).toList());
    }

    private Mono<List<UploadedPart>> listParts(String key, String uploadId, int marker, List<UploadedPart> collected) {
        return call(() -> client.listParts(ListPartsArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .uploadId(uploadId)
                        .maxParts(MAX_PARTS_PER_LIST)
                        .partNumberMarker(marker > 0 ? marker : null)
                        .build()))
                .flatMap(response -> {
                    var result = response.result();
                    for (Part part : result.parts()) {
                        collected.add(new UploadedPart(part.partNumber(), part.etag(), part.partSize()));
                    }
                    Integer next = result.nextPartNumberMarker();
                    if (result.isTruncated() && next != null && next > marker) {
                        return listParts(key, uploadId, next, collected);
                    }
                    return Mono.just(collected);
                });
    }

    /** Aborts a multipart upload; one that is already gone is not an error. Never fails. */
    public Mono<Void> abortMultipart(String key, String uploadId) {
        return call(() -> client.abortMultipartUpload(AbortMultipartUploadArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .uploadId(uploadId)
                        .build()))
                .then()
                .onErrorResume(e -> {
                    if (!(e instanceof NoSuchObjectException)) {
                        log.warn("Could not abort multipart upload of {}: {}", key, e.toString());
                    }
                    return Mono.empty();
                });
    }

    /** Multipart uploads under {@code prefix} that were neither completed nor aborted. */
    public Flux<PendingMultipart> pendingMultiparts(String prefix) {
        return pendingMultiparts(prefix, null, null);
    }

    private Flux<PendingMultipart> pendingMultiparts(String prefix, String keyMarker, String uploadIdMarker) {
        return call(() -> client.listMultipartUploads(ListMultipartUploadsArgs.builder()
                        .bucket(bucket)
                        .prefix(prefix)
                        .keyMarker(keyMarker)
                        .uploadIdMarker(uploadIdMarker)
                        .build()))
                .flatMapMany(response -> {
                    ListMultipartUploadsResult result = response.result();
                    Flux<PendingMultipart> page = Flux.fromIterable(
                                    result.uploads() == null ? List.of() : result.uploads())
                            .map(upload -> new PendingMultipart(
                                    upload.objectName(),
                                    upload.uploadId(),
                                    upload.initiated() == null
                                            ? null
                                            : upload.initiated().toInstant()));
                    if (result.isTruncated() && result.nextKeyMarker() != null) {
                        return page.concatWith(
                                pendingMultiparts(prefix, result.nextKeyMarker(), result.nextUploadIdMarker()));
                    }
                    return page;
                });
    }

    /** The object's size and type, or empty when there is no such object. */
    public Mono<StoredObject> stat(String key) {
        return call(() -> client.statObject(
                        StatObjectArgs.builder().bucket(bucket).object(key).build()))
                .map(response -> new StoredObject(key, response.size(), response.contentType()))
                .onErrorResume(NoSuchObjectException.class, e -> Mono.empty());
    }

    /**
     * Copies {@code source} to {@code target} inside the bucket (server-side, up to S3's 5 GiB single-copy limit): the
     * target holds the bytes {@code source} had at that moment, whatever is written to {@code source} later.
     */
    public Mono<Void> copy(String source, String target) {
        return call(() -> client.copyObject(CopyObjectArgs.builder()
                        .bucket(bucket)
                        .object(target)
                        .source(SourceObject.builder()
                                .bucket(bucket)
                                .object(source)
                                .build())
                        .build()))
                .then();
    }

    /** Removes the object; a missing object is not an error. */
    public Mono<Void> remove(String key) {
        return call(() -> client.removeObject(
                        RemoveObjectArgs.builder().bucket(bucket).object(key).build()))
                .then()
                .onErrorResume(NoSuchObjectException.class, e -> Mono.empty());
    }

    /**
     * Streams the object in chunks of {@code chunkSize} (the last may be shorter and is marked last), reading on a
     * bounded-elastic thread. Empty when there is no such object.
     */
    public Flux<Chunk> read(String key, int chunkSize) {
        return Flux.using(
                        () -> open(key),
                        in -> Flux.<Chunk>generate(sink -> readChunk(in, chunkSize, sink)),
                        ObjectStore::closeQuietly)
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Opens the object's bytes from {@code offset} to its end. Blocking: call it on a bounded-elastic thread (see
     * {@link ObjectChannel}).
     */
    public InputStream openAt(String key, long offset) {
        try {
            return client.getObject(GetObjectArgs.builder()
                            .bucket(bucket)
                            .object(key)
                            .offset(offset)
                            .build())
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while opening " + key, e);
        } catch (ExecutionException e) {
            throw translate(e);
        }
    }

    private InputStream open(String key) {
        try {
            return client.getObject(
                            GetObjectArgs.builder().bucket(bucket).object(key).build())
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while opening " + key, e);
        } catch (ExecutionException e) {
            throw translate(e);
        }
    }

    private static void readChunk(InputStream in, int chunkSize, SynchronousSink<Chunk> sink) {
        try {
            byte[] data = new byte[chunkSize];
            int filled = 0;
            while (filled < chunkSize) {
                int n = in.read(data, filled, chunkSize - filled);
                if (n < 0) {
                    sink.next(new Chunk(data, filled, true));
                    sink.complete();
                    return;
                }
                filled += n;
            }
            sink.next(new Chunk(data, filled, false));
        } catch (IOException e) {
            sink.error(new StorageUnavailableException("Reading an object failed", e));
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("Closing an object stream failed", e);
        }
    }

    /** A presigned PUT of the whole object. */
    public String presignPut(String key, Duration ttl) {
        return presign(key, ttl, Map.of());
    }

    /** A presigned PUT of one part of a multipart upload. */
    public String presignPart(String key, String uploadId, int partNumber, Duration ttl) {
        return presign(key, ttl, Map.of("uploadId", uploadId, "partNumber", Integer.toString(partNumber)));
    }

    private String presign(String key, Duration ttl, Map<String, String> query) {
        return presign(presigner, key, ttl, query);
    }

    private String presign(MinioAsyncClient signer, String key, Duration ttl, Map<String, String> query) {
        try {
            return signer.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.PUT)
                    .bucket(bucket)
                    .object(key)
                    .expiry(Math.toIntExact(ttl.toSeconds()), TimeUnit.SECONDS)
                    .extraQueryParams(query)
                    .build());
        } catch (MinioException e) {
            throw new StorageUnavailableException("Presigning a URL failed", e);
        }
    }

    private static <T> Mono<T> call(Supplier<CompletableFuture<T>> request) {
        // suppressCancel: cancelling an OkHttp-backed future does not stop the request; let it finish on its own.
        return Mono.defer(() -> Mono.fromFuture(request.get(), true)).onErrorMap(ObjectStore::translate);
    }

    private static RuntimeException translate(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NoSuchObjectException || cause instanceof StorageUnavailableException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof ErrorResponseException response) {
            String code = response.errorResponse().code();
            if ("NoSuchKey".equals(code) || "NoSuchUpload".equals(code) || "NotFound".equals(code)) {
                return new NoSuchObjectException(code);
            }
            return new StorageUnavailableException(
                    "S3 answered " + code + ": " + response.errorResponse().message(), cause);
        }
        return new StorageUnavailableException("S3 request failed: " + cause, cause);
    }
}
