package io.drawbridge.gateway.grant.storage;

import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.PublicError;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reads objects from the S3-compatible store. A single file is read without blocking: a GET with a {@code Range}
 * header on Reactor Netty, to a URL the MinIO client presigns (pure computation: the region is configured, so the
 * client never asks the store where the bucket lives). The response's Netty buffers are handed to the download
 * response as they are (no copy, no thread of its own); the connection is read only as fast as the client takes
 * the bytes, and a client that goes away closes it. The streamed ZIP's writer reads through the same ranged GETs
 * (so the same open and stall bounds hold for it); the blocking MinIO client only checks that objects exist, with
 * every call bounded by the open timeout.
 */
@Component
public class ObjectStorage implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ObjectStorage.class);
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");
    /** Long enough for any clock skew between us and the store; the URL is used at once and never leaves here. */
    private static final int PRESIGN_SECONDS = (int) TimeUnit.MINUTES.toSeconds(5);
    /** S3 error documents are small; more than this is not one. */
    private static final int ERROR_DOCUMENT_LIMIT = 16 * 1024;
    /** How many times a body the store closed mid-way is read again from where it stopped. */
    static final int RESUMES = 3;

    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final MinioClient minio;
    private final String bucket;
    private final int bufferSize;
    private final Duration retryAfter;
    private final Duration openTimeout;
    private final ConnectionProvider connections;
    private final ClientHttpConnector http;

    @Autowired
    ObjectStorage(MinioClient minio, GatewayProperties properties) {
        this(minio, properties, connections(properties.storage()), client -> client);
    }

    /** {@code customizer} lets a test observe the very client the gateway uses (connections opened and closed). */
    @SuppressWarnings("deprecation") // maxChunkSize: deprecated for Reactor Netty 2 (Netty 5), works in 1.x
    ObjectStorage(
            MinioClient minio,
            GatewayProperties properties,
            ConnectionProvider connections,
            UnaryOperator<HttpClient> customizer) {
        GatewayProperties.Storage storage = properties.storage();
        this.minio = minio;
        this.bucket = storage.bucket();
        this.bufferSize = (int) storage.bufferSize().toBytes();
        this.retryAfter = properties.retryAfter();
        this.openTimeout = storage.openTimeout();
        this.connections = connections;
        HttpClient client = HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        storage.connectTimeout().toMillis())
                // A body chunk is what one socket read brought, up to bufferSize (Netty's default cuts at 8 KB).
                .httpResponseDecoder(decoder -> decoder.maxChunkSize(bufferSize))
                .doOnResponse((response, connection) ->
                        connection.addHandlerLast(ReadStall.NAME, new ReadStall(storage.readStallTimeout())));
        this.http = new ReactorClientHttpConnector(customizer.apply(client));
    }

    /**
     * The MinIO client: it presigns reads and checks that objects exist (headers only). Its own timeouts are five
     * minutes each; here connecting is bounded like the ranged reads and an answer like an object's headers.
     */
    public static MinioClient client(GatewayProperties.Storage storage) {
        MinioClient client = MinioClient.builder()
                .endpoint(storage.endpoint())
                .region(storage.region())
                .credentials(storage.accessKey(), storage.secretKey())
                .build();
        long answer = storage.openTimeout().toMillis();
        client.setTimeout(storage.connectTimeout().toMillis(), answer, answer);
        return client;
    }

    static ConnectionProvider connections(GatewayProperties.Storage storage) {
        return ConnectionProvider.builder("object-storage")
                .maxConnections(storage.maxConnections())
                .pendingAcquireTimeout(storage.openTimeout())
                .maxIdleTime(Duration.ofSeconds(20))
                .build();
    }

    /**
     * Opens {@code [offset, offset + length)} of an object ({@code length > 0}). Emits once the store has answered
     * with exactly that range; the body is then read as the consumer asks for it. Fails, before any byte, with the
     * refusal for a missing object ({@code file_not_found}) or an unavailable store ({@code storage_unavailable});
     * a body that breaks off later fails with {@link StorageReadFailed}, unless the store closed it mid-way and
     * reading the rest again from where it stopped works ({@link #resuming}).
     */
    public Mono<Flux<DataBuffer>> open(String objectKey, long offset, long length) {
        if (offset < 0 || length <= 0) {
            return Mono.error(new IllegalArgumentException("range must be a non-empty one"));
        }
        return openOnce(objectKey, offset, length).map(body -> resuming(objectKey, offset, length, body, RESUMES));
    }

    private Mono<Flux<DataBuffer>> openOnce(String objectKey, long offset, long length) {
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return Mono.defer(() -> http.connect(HttpMethod.GET, presign(objectKey), request -> {
                            request.getHeaders().set(HttpHeaders.RANGE, range);
                            return request.setComplete();
                        })
                        // Until the status and headers arrive; a cancel here closes the connection (Spring's
                        // connector).
                        .timeout(openTimeout))
                .flatMap(response -> opened(objectKey, offset, length, response))
                .onErrorMap(e -> !(e instanceof DownloadRefused), e -> refusal(objectKey, e));
    }

    /**
     * {@code body}, continued by a ranged read of the rest when the store closes the connection before the end (S3
     * servers drop a connection whose reader paused long for a slow client), up to {@code resumesLeft} times. The
     * bytes already passed on count: the next read starts right after them, so the consumer sees one gap-free
     * body. A stall (the store stops sending) or a failed re-read still fails the body.
     */
    private Flux<DataBuffer> resuming(
            String objectKey, long offset, long length, Flux<DataBuffer> body, int resumesLeft) {
        return Flux.defer(() -> {
            AtomicLong passed = new AtomicLong();
            return body.doOnNext(buffer -> passed.addAndGet(buffer.readableByteCount()))
                    .onErrorResume(e -> resumesLeft > 0 && closedMidway(e) && passed.get() < length, e -> {
                        long from = offset + passed.get();
                        long rest = length - passed.get();
                        log.info(
                                "The store closed the read of {} at byte {} of [{}, {}); reading the rest again",
                                objectKey,
                                from,
                                offset,
                                offset + length);
                        return openOnce(objectKey, from, rest)
                                .onErrorMap(reopen -> e)
                                .flatMapMany(next -> resuming(objectKey, from, rest, next, resumesLeft - 1));
                    });
        });
    }

    private static boolean closedMidway(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PrematureCloseException) {
                return true;
            }
        }
        return false;
    }

    private Mono<Flux<DataBuffer>> opened(String objectKey, long offset, long length, ClientHttpResponse response) {
        int status = response.getStatusCode().value();
        if (status == HttpStatus.PARTIAL_CONTENT.value() && rangeMatches(response.getHeaders(), offset, length)
                || status == HttpStatus.OK.value()
                        && offset == 0
                        && response.getHeaders().getContentLength() == length) {
            return Mono.just(response.getBody()
                    .onErrorMap(e -> new StorageReadFailed("object read failed", e))
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release));
        }
        if (status < 300) {
            // An answer for other bytes than asked (a store ignoring Range on a longer object): never stream it.
            return response.getBody()
                    .take(0)
                    .then(Mono.error(new StorageAnswered(
                            objectKey,
                            status,
                            "unexpected range " + response.getHeaders().getFirst(HttpHeaders.CONTENT_RANGE))));
        }
        return DataBufferUtils.join(response.getBody(), ERROR_DOCUMENT_LIMIT)
                .map(document -> {
                    try {
                        return document.toString(StandardCharsets.UTF_8);
                    } finally {
                        DataBufferUtils.release(document);
                    }
                })
                .onErrorReturn("")
                .defaultIfEmpty("")
                .flatMap(document -> Mono.error(new StorageAnswered(objectKey, status, errorCode(document))));
    }

    private static boolean rangeMatches(HttpHeaders headers, long offset, long length) {
        String contentRange = headers.getFirst(HttpHeaders.CONTENT_RANGE);
        Matcher matcher = CONTENT_RANGE.matcher(contentRange == null ? "" : contentRange.trim());
        return matcher.matches()
                && Long.parseLong(matcher.group(1)) == offset
                && Long.parseLong(matcher.group(2)) == offset + length - 1;
    }

    static String errorCode(String document) {
        Matcher matcher = ERROR_CODE.matcher(document);
        return matcher.find() ? matcher.group(1) : "";
    }

    /** A URL that reads one object for a few minutes. A credential: it is never logged. */
    private URI presign(String objectKey) {
        try {
            return URI.create(minio.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.GET)
                    .bucket(bucket)
                    .object(objectKey)
                    .expiry(PRESIGN_SECONDS)
                    .build()));
        } catch (MinioException e) {
            throw new IllegalStateException("cannot presign a read of " + objectKey, e);
        }
    }

    /** Checks that every object exists before a response is committed to streaming them, each within the open timeout. */
    public Mono<Void> requireAll(Iterable<String> objectKeys) {
        return Flux.fromIterable(objectKeys)
                .concatMap(key -> Mono.fromCallable(() -> minio.statObject(StatObjectArgs.builder()
                                .bucket(bucket)
                                .object(key)
                                .build()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .timeout(openTimeout)
                        .onErrorMap(e -> refusal(key, e)))
                .then();
    }

    /**
     * Blocking read of a whole {@code length}-byte object, for writers that already run off the event loop (the ZIP
     * writer): the ranged, non-blocking read of {@link #open}, with its bounds, seen as an input stream that asks for
     * a few buffers at a time. Errors surface as {@link IOException}s from {@code read}.
     */
    public InputStream openBlocking(String objectKey, long length) {
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        Flux<DataBuffer> body = open(objectKey, 0, length).flatMapMany(flux -> flux);
        return DataBufferUtils.subscriberInputStream(body, 2);
    }

    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public void destroy() {
        connections.dispose();
    }

    private Throwable refusal(String objectKey, Throwable e) {
        Throwable cause = e;
        if (cause instanceof StorageAnswered answered && answered.missing()) {
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
        // Messages name the object and the store's host at most, never the presigned URL.
        log.warn("Storage unavailable for {}: {}", objectKey, cause.toString());
        return DownloadRefused.of(PublicError.STORAGE_UNAVAILABLE).retryAfter(retryAfter);
    }

    /** The store answered an object read with an error (or with other bytes than asked). */
    static final class StorageAnswered extends IOException {
        private final int status;
        private final String code;

        StorageAnswered(String objectKey, int status, String code) {
            super("S3 answered " + status + (code.isEmpty() ? "" : " " + code) + " for " + objectKey);
            this.status = status;
            this.code = code;
        }

        /** NoSuchKey and friends; a bare 404 without an S3 error document counts as missing too. */
        boolean missing() {
            return MISSING.contains(code) || status == HttpStatus.NOT_FOUND.value() && code.isEmpty();
        }
    }
}
