package io.drawbridge.gateway.grant.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.embedded.EmbeddedInfrastructureExtension;
import io.drawbridge.embedded.InfrastructureEndpoints;
import io.drawbridge.embedded.WithEmbeddedInfrastructure;
import io.drawbridge.events.GrantedItem;
import io.drawbridge.gateway.BlockingCalls;
import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.PublicError;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.netty.channel.Channel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * The non-blocking single-file reader against the real embedded S3 server: exact bytes for any range, the refusals a
 * download turns into, and what a consumer that goes away leaves behind (nothing: the connection is closed, every
 * buffer released). Reads are started on Reactor's non-blocking threads, where BlockHound fails any blocking call
 * (presigning included).
 */
@WithEmbeddedInfrastructure
class ObjectStorageIT {

    private static final int SIZE = 3 * 1024 * 1024 + 4321;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(7);
    private static final Duration STALL = Duration.ofSeconds(1);

    private static byte[] content;
    private static String key;
    private static InfrastructureEndpoints endpoints;
    private static MinioClient minio;

    private final List<ObjectStorage> storages = new ArrayList<>();
    private final Map<ObjectStorage, GatewayProperties> settingsOf = new HashMap<>();

    @BeforeAll
    static void upload() throws Exception {
        BlockingCalls.install();
        endpoints = EmbeddedInfrastructureExtension.shared().endpoints();
        minio = MinioClient.builder()
                .endpoint(endpoints.s3Endpoint())
                .region("us-east-1")
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey())
                .build();
        content = new byte[SIZE];
        new Random(42).nextBytes(content);
        key = "object-storage-it/" + UUID.randomUUID() + "/file.bin";
        minio.putObject(PutObjectArgs.builder().bucket(endpoints.s3Bucket()).object(key).stream(
                        new ByteArrayInputStream(content), (long) SIZE, -1L)
                .build());
    }

    @AfterEach
    void nothingBlockedAnEventLoop() {
        storages.forEach(ObjectStorage::destroy);
        assertThat(BlockingCalls.drain())
                .as("blocking calls on non-blocking threads")
                .isEmpty();
    }

    @Test
    void everyRangeArrivesByteExact() {
        ObjectStorage storage = storage(endpoints.s3Endpoint(), Duration.ofSeconds(10), client -> client);
        long[][] ranges = {
            {0, SIZE}, {0, 1}, {SIZE - 1, 1}, {123_457, 1_000_003}, {1024 * 1024 - 5, 10}, {65_536, SIZE - 65_536}
        };
        for (long[] range : ranges) {
            byte[] read = readAll(storage, key, range[0], range[1]);
            assertThat(read)
                    .as("bytes %d-%d", range[0], range[0] + range[1] - 1)
                    .isEqualTo(Arrays.copyOfRange(content, (int) range[0], (int) (range[0] + range[1])));
        }
    }

    @Test
    void aMissingObjectIsRefusedAsFileNotFoundBeforeAnyByte() {
        ObjectStorage storage = storage(endpoints.s3Endpoint(), Duration.ofSeconds(10), client -> client);

        StepVerifier.create(onNonBlockingThread(storage, "object-storage-it/not-there.bin", 0, 10))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOfSatisfying(DownloadRefused.class, refusal -> assertThat(refusal.error())
                                .isEqualTo(PublicError.FILE_NOT_FOUND)))
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aStoreThatRefusesConnectionsIsStorageUnavailableWithRetryAfter() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ObjectStorage storage = storage("http://127.0.0.1:" + closedPort, Duration.ofSeconds(10), client -> client);

        StepVerifier.create(onNonBlockingThread(storage, key, 0, 10))
                .expectErrorSatisfies(ObjectStorageIT::storageUnavailable)
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aStoreThatNeverAnswersIsStorageUnavailableAfterTheOpenTimeout() throws Exception {
        // The kernel accepts the connection (backlog); nobody ever reads the request or answers it.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ObjectStorage storage =
                    storage("http://127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(500), client -> client);

            StepVerifier.create(onNonBlockingThread(storage, key, 0, 10))
                    .expectErrorSatisfies(ObjectStorageIT::storageUnavailable)
                    .verify(Duration.ofSeconds(30));
        }
    }

    @Test
    void aStreamedZipFromAStoreThatNeverAnswersFailsAfterTheOpenTimeoutNotMinutes() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ObjectStorage storage =
                    storage("http://127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(500), client -> client);
            ZipArchives zips = new ZipArchives(storage, properties(storage));
            GrantedItem item = new GrantedItem(UUID.randomUUID(), key, "file.bin", SIZE, "00", "x", null);

            // Both the existence check before the response and the writer itself give up within a bounded time.
            StepVerifier.create(storage.requireAll(List.of(key)))
                    .expectErrorSatisfies(ObjectStorageIT::storageUnavailable)
                    .verify(Duration.ofSeconds(20));
            StepVerifier.create(zips.stream(List.of(item, item), DefaultDataBufferFactory.sharedInstance)
                            .doOnNext(DataBufferUtils::release))
                    // The first entry's header may go out before the object fails.
                    .thenConsumeWhile(buffer -> true)
                    .expectError(StorageReadFailed.class)
                    .verify(Duration.ofSeconds(20));
        }
    }

    @Test
    void aStreamedZipWhoseObjectStopsArrivingFailsAfterTheStallTimeout() throws Exception {
        try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> answerHeadersThenStall(stalling, 10));
            server.setDaemon(true);
            server.start();
            ObjectStorage storage =
                    storage("http://127.0.0.1:" + stalling.getLocalPort(), Duration.ofSeconds(10), client -> client);
            ZipArchives zips = new ZipArchives(storage, properties(storage));
            GrantedItem item = new GrantedItem(UUID.randomUUID(), key, "file.bin", 10, "00", "x", null);

            StepVerifier.create(zips.stream(List.of(item), DefaultDataBufferFactory.sharedInstance)
                            .doOnNext(DataBufferUtils::release))
                    // The first entry's header may go out before the object fails.
                    .thenConsumeWhile(buffer -> true)
                    .expectError(StorageReadFailed.class)
                    .verify(Duration.ofSeconds(20));
        }
    }

    @Test
    void aStreamedZipCarriesEveryObjectByteExact() throws Exception {
        ObjectStorage storage = storage(endpoints.s3Endpoint(), Duration.ofSeconds(10), client -> client);
        ZipArchives zips = new ZipArchives(storage, properties(storage));
        GrantedItem item = new GrantedItem(UUID.randomUUID(), key, "file.bin", SIZE, "00", "x", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        zips.stream(List.of(item, item), DefaultDataBufferFactory.sharedInstance)
                .doOnNext(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    out.writeBytes(bytes);
                })
                .blockLast(Duration.ofSeconds(60));

        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            List<String> names = new ArrayList<>();
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                names.add(entry.getName());
                assertThat(zip.readAllBytes()).isEqualTo(content);
            }
            assertThat(names).containsExactly("file.bin", "file (2).bin");
        }
    }

    /** A store that answers the headers of a {@code length}-byte object and half its body, then nothing more. */
    private static void answerHeadersThenStall(ServerSocket server, int length) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            String request = "";
            while (!request.endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                request += (char) b;
            }
            socket.getOutputStream()
                    .write(("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-" + (length - 1) + "/" + length
                                    + "\r\nContent-Length: " + length + "\r\n\r\n" + "x".repeat(length / 2))
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            while (in.read() >= 0) {
                // until the gateway closes the connection
            }
        } catch (IOException e) {
            // the test ends
        }
    }

    @Test
    void aConsumerThatGoesAwayMidStreamClosesTheConnectionAndLeavesNoBufferBehind() {
        Set<Channel> channels = ConcurrentHashMap.newKeySet();
        ObjectStorage storage = storage(
                endpoints.s3Endpoint(),
                Duration.ofSeconds(10),
                client -> client.doOnConnected(connection -> channels.add(connection.channel())));
        List<DataBuffer> taken = new ArrayList<>();

        // Three buffers of a 3 MiB body, then cancel (what a client hanging up does to the response's writer).
        StepVerifier.create(onNonBlockingThread(storage, key, 0, SIZE).flatMapMany(body -> body.take(3)))
                .recordWith(() -> taken)
                .expectNextCount(3)
                .verifyComplete();

        assertThat(channels).hasSize(1);
        // The rest of the body is never read: the connection is closed, not returned to the pool half-read.
        await().atMost(Duration.ofSeconds(10)).until(() -> channels.stream().noneMatch(Channel::isActive));
        // What reached us is ours alone: releasing it frees it (the buffers may be slices of one read buffer, which
        // counts their references together), so no reference is kept anywhere else.
        taken.forEach(DataBufferUtils::release);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(taken).allSatisfy(buffer -> assertThat(
                                ((NettyDataBuffer) buffer).getNativeBuffer().refCnt())
                        .isZero()));
    }

    @Test
    void aBodyReadToTheEndLeavesTheConnectionForTheNextRead() {
        Set<Channel> channels = ConcurrentHashMap.newKeySet();
        ObjectStorage storage = storage(
                endpoints.s3Endpoint(),
                Duration.ofSeconds(10),
                client -> client.doOnConnected(connection -> channels.add(connection.channel())));

        assertThat(readAll(storage, key, 10, 1000)).isEqualTo(Arrays.copyOfRange(content, 10, 1010));
        assertThat(readAll(storage, key, 2000, 1000)).isEqualTo(Arrays.copyOfRange(content, 2000, 3000));

        assertThat(channels).hasSize(1);
        assertThat(channels).allMatch(Channel::isActive);
    }

    @Test
    void aBodyThatStopsArrivingFailsAsAStorageErrorAfterTheStallTimeout() throws Exception {
        // A store that answers the headers and 5 of 10 bytes, then nothing more (the connection stays open).
        try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket socket = stalling.accept()) {
                    InputStream in = socket.getInputStream();
                    String request = "";
                    while (!request.endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            return;
                        }
                        request += (char) b;
                    }
                    socket.getOutputStream()
                            .write(("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/10\r\n"
                                            + "Content-Length: 10\r\n\r\n12345")
                                    .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    while (in.read() >= 0) {
                        // until the gateway closes the connection
                    }
                } catch (IOException e) {
                    // the test ends
                }
            });
            server.setDaemon(true);
            server.start();
            ObjectStorage storage =
                    storage("http://127.0.0.1:" + stalling.getLocalPort(), Duration.ofSeconds(10), client -> client);

            StepVerifier.create(onNonBlockingThread(storage, key, 0, 10)
                            .flatMapMany(body -> body)
                            .doOnNext(DataBufferUtils::release))
                    .expectNextCount(1)
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StorageReadFailed.class))
                    .verify(Duration.ofSeconds(30));
        }
    }

    @Test
    void aConsumerThatStopsAskingIsNeverCutOffByTheStallTimeout() {
        ObjectStorage storage = storage(endpoints.s3Endpoint(), Duration.ofSeconds(10), client -> client);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // One buffer, then nothing asked for three stall timeouts (a client that paused), then the rest.
        StepVerifier.create(
                        onNonBlockingThread(storage, key, 0, SIZE)
                                .flatMapMany(body -> body)
                                .doOnNext(buffer -> {
                                    byte[] bytes = new byte[buffer.readableByteCount()];
                                    buffer.read(bytes);
                                    DataBufferUtils.release(buffer);
                                    out.writeBytes(bytes);
                                }),
                        1)
                .expectNextCount(1)
                .expectNoEvent(STALL.multipliedBy(3))
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(buffer -> true)
                .expectComplete()
                .verify(Duration.ofSeconds(60));

        assertThat(out.toByteArray()).isEqualTo(content);
    }

    private static void storageUnavailable(Throwable e) {
        assertThat(e).isInstanceOfSatisfying(DownloadRefused.class, refusal -> {
            assertThat(refusal.error()).isEqualTo(PublicError.STORAGE_UNAVAILABLE);
            assertThat(refusal.retryAfter()).hasValue(RETRY_AFTER);
        });
    }

    private static Mono<Flux<DataBuffer>> onNonBlockingThread(
            ObjectStorage storage, String objectKey, long offset, long length) {
        return Mono.defer(() -> storage.open(objectKey, offset, length)).subscribeOn(Schedulers.parallel());
    }

    private static byte[] readAll(ObjectStorage storage, String objectKey, long offset, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        onNonBlockingThread(storage, objectKey, offset, length)
                .flatMapMany(body -> body)
                .doOnNext(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    synchronized (out) {
                        out.writeBytes(bytes);
                    }
                })
                .blockLast(Duration.ofSeconds(60));
        return out.toByteArray();
    }

    private ObjectStorage storage(String endpoint, Duration openTimeout, UnaryOperator<HttpClient> customizer) {
        GatewayProperties.Storage settings = new GatewayProperties.Storage(
                endpoint,
                endpoints.s3AccessKey(),
                endpoints.s3SecretKey(),
                endpoints.s3Bucket(),
                "us-east-1",
                DataSize.ofKilobytes(64),
                Duration.ofSeconds(2),
                openTimeout,
                STALL,
                4);
        GatewayProperties properties = new GatewayProperties(
                URI.create("http://localhost"),
                "object-storage-it-grant-secret-0123456789abcdef",
                false,
                Duration.ofSeconds(3),
                RETRY_AFTER,
                java.util.List.of(),
                Duration.ZERO,
                "object-storage-it",
                new GatewayProperties.Seller("Drawbridge", "#1f4e79"),
                new GatewayProperties.TokenService(
                        URI.create("http://localhost:1"), "unused", Duration.ofSeconds(2), DataSize.ofMegabytes(8)),
                settings,
                new GatewayProperties.RateLimit(
                        true,
                        new GatewayProperties.Bucket(60, Duration.ofSeconds(1)),
                        new GatewayProperties.Bucket(20, Duration.ofSeconds(3)),
                        1000,
                        new GatewayProperties.Bucket(5, Duration.ofMinutes(12)),
                        new GatewayProperties.Bucket(2048, Duration.ofMillis(1758)),
                        new GatewayProperties.Bucket(60, Duration.ofSeconds(1))),
                new GatewayProperties.Zip(1, "download.zip"),
                new GatewayProperties.Reports(Path.of("target/reports"), Duration.ofSeconds(10)),
                new GatewayProperties.Streams(1000, DataSize.ofMegabytes(64)));
        MinioClient signer = ObjectStorage.client(settings);
        ObjectStorage storage = new ObjectStorage(signer, properties, ObjectStorage.connections(settings), customizer);
        storages.add(storage);
        settingsOf.put(storage, properties);
        return storage;
    }

    private GatewayProperties properties(ObjectStorage storage) {
        return settingsOf.get(storage);
    }
}
