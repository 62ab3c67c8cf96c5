package io.drawbridge.gateway;

import io.drawbridge.embedded.EmbeddedInfrastructureExtension;
import io.drawbridge.embedded.InfrastructureEndpoints;
import io.drawbridge.events.GrantedItem;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * Files the gateway tests download, put into the embedded S3 server once per JVM. Contents are generated from a
 * seed, so a test can recompute any byte range without keeping the file in memory.
 */
final class TestObjects {

    static final long BIG_SIZE = 16L * 1024 * 1024 + 12345;

    static GrantedItem big;
    static GrantedItem readme;
    static GrantedItem tool;
    static GrantedItem otherTool;
    static GrantedItem missing;

    /** CRC-32s of the uploaded objects by object key; the items above carry none (as grants from before them). */
    private static final Map<String, String> CRC32S = new ConcurrentHashMap<>();

    private TestObjects() {}

    /** {@code item} as token-service grants it now: with the object's CRC-32, so its ZIP is laid out up front. */
    static GrantedItem checksummed(GrantedItem item) {
        return new GrantedItem(
                item.fileId(),
                item.objectKey(),
                item.name(),
                item.size(),
                item.sha256(),
                item.contentType(),
                item.platform(),
                CRC32S.get(item.objectKey()));
    }

    static synchronized void upload() throws Exception {
        if (big != null) {
            return;
        }
        InfrastructureEndpoints endpoints =
                EmbeddedInfrastructureExtension.shared().endpoints();
        MinioClient minio = MinioClient.builder()
                .endpoint(endpoints.s3Endpoint())
                .region("us-east-1")
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey())
                .build();
        String run = UUID.randomUUID().toString();
        big = put(
                minio,
                endpoints.s3Bucket(),
                "gateway-it/" + run + "/big.bin",
                "Ünïcode big file.bin",
                1,
                BIG_SIZE,
                "application/octet-stream",
                "linux");
        tool = put(
                minio,
                endpoints.s3Bucket(),
                "gateway-it/" + run + "/tool.exe",
                "tool.exe",
                2,
                1024 * 1024 + 7,
                "application/vnd.microsoft.portable-executable",
                "windows");
        otherTool = put(
                minio,
                endpoints.s3Bucket(),
                "gateway-it/" + run + "/tool-2.exe",
                "tool.exe",
                3,
                300_001,
                "application/octet-stream",
                "windows");
        byte[] text = "Drawbridge readme line\n".repeat(9000).getBytes(StandardCharsets.UTF_8);
        minio.putObject(
                PutObjectArgs.builder().bucket(endpoints.s3Bucket()).object("gateway-it/" + run + "/readme.txt").stream(
                                new ByteArrayInputStream(text), (long) text.length, null)
                        .contentType("text/plain")
                        .build());
        CRC32 readmeCrc = new CRC32();
        readmeCrc.update(text);
        CRC32S.put("gateway-it/" + run + "/readme.txt", String.format("%08x", readmeCrc.getValue()));
        readme = new GrantedItem(
                UUID.randomUUID(),
                "gateway-it/" + run + "/readme.txt",
                "readme.txt",
                text.length,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text)),
                "text/plain",
                null);
        missing = new GrantedItem(
                UUID.randomUUID(),
                "gateway-it/" + run + "/not-there.bin",
                "not-there.bin",
                10,
                "00".repeat(32),
                "application/octet-stream",
                null);
    }

    private static GrantedItem put(
            MinioClient minio,
            String bucket,
            String key,
            String name,
            long seed,
            long size,
            String contentType,
            String platform)
            throws Exception {
        minio.putObject(
                PutObjectArgs.builder().bucket(bucket).object(key).stream(content(seed, size), size, 5L * 1024 * 1024)
                        .contentType(contentType)
                        .build());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        CRC32 crc = new CRC32();
        try (InputStream in = content(seed, size)) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                crc.update(buffer, 0, n);
            }
        }
        CRC32S.put(key, String.format("%08x", crc.getValue()));
        return new GrantedItem(
                UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)),
                key,
                name,
                size,
                HexFormat.of().formatHex(sha.digest()),
                contentType,
                platform);
    }

    /** The bytes of the object generated from {@code seed}: deterministic, incompressible. */
    static InputStream content(long seed, long size) {
        return new InputStream() {
            private final Random random = new Random(seed);
            private final byte[] block = new byte[4096];
            private long position;
            private long generatedBlock = -1;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                long blockIndex = position / block.length;
                if (blockIndex != generatedBlock) {
                    random.nextBytes(block); // blocks are generated strictly in order
                    generatedBlock = blockIndex;
                }
                int inBlock = (int) (position % block.length);
                int n = (int) Math.min(Math.min(len, block.length - inBlock), size - position);
                System.arraycopy(block, inBlock, b, off, n);
                position += n;
                return n;
            }
        };
    }

    /** Bytes {@code [start, start + length)} of the big file. */
    static byte[] bigSlice(long start, int length) throws IOException {
        try (InputStream in = content(1, BIG_SIZE)) {
            in.skipNBytes(start);
            return in.readNBytes(length);
        }
    }
}
