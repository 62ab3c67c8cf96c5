package io.drawbridge.file.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.file.support.FileServiceTestSupport;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a file larger than this JVM's whole heap (surefire runs file-service's tests with a small -Xmx) through
 * {@code POST /api/v1/files}: it can only succeed if no layer holds the file in memory.
 */
@TestPropertySource(properties = "drawbridge.file.max-size=1GB")
class StreamingUploadIT extends FileServiceTestSupport {

    @Test
    void fileLargerThanTheHeapStreamsThroughWithCorrectChecksum() throws Exception {
        long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        long size = Math.max(300L * 1024 * 1024, maxHeap + 32L * 1024 * 1024);
        assertThat(size).isGreaterThan(maxHeap);
        GeneratedContent content = new GeneratedContent(size, 42);
        String boundary = "streaming-boundary";
        byte[] head = ("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"heap-buster.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/files"))
                                .timeout(Duration.ofMinutes(9))
                                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new SequenceInputStream(Collections.enumeration(List.of(
                                                new ByteArrayInputStream(head),
                                                content,
                                                new ByteArrayInputStream(tail))))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JsonMapper.builder().build().readTree(response.body());
        assertThat(body.get("size").asLong()).isEqualTo(size);
        assertThat(body.get("sha256").asString()).isEqualTo(content.sha256());
        var stat = s3().statObject(io.minio.StatObjectArgs.builder()
                .bucket(endpoints().s3Bucket())
                .object("files/" + body.get("id").asString())
                .build());
        assertThat(stat.size()).isEqualTo(size);
    }

    /** Deterministic pseudo-random bytes, generated as read, with their SHA-256 computed on the way. */
    static final class GeneratedContent extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long produced;
        private long state;

        GeneratedContent(long size, long seed) throws Exception {
            this.size = size;
            this.state = seed | 1;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (produced >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - produced);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                buffer[offset + i] = (byte) state;
            }
            digest.update(buffer, offset, n);
            produced += n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
