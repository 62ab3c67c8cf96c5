package io.drawbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.embedded.EmbeddedInfrastructureExtension;
import io.drawbridge.events.DownloadFailed;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A download the server has to break off (the store fails mid-body) must never look complete to the client, read
 * here byte by byte from a raw socket as a download manager would: a body with a Content-Length ends short of it
 * (the connection closes), and a chunked body (the streamed ZIP) ends without its terminating zero-length chunk. The
 * gateway reads S3 through {@link CuttingProxy}, which breaks each connection off after 4 MiB of answers: the
 * gateway's {@code ObjectStorage.RESUMES} reads of the rest are cut too, and run out before the 16 MiB file's end.
 */
class InterruptedStreamIT extends GatewayIntegrationSupport {

    private static final long CUT_AFTER = 4L * 1024 * 1024;
    private static CuttingProxy proxy;

    @DynamicPropertySource
    static void storageThroughTheCuttingProxy(DynamicPropertyRegistry registry) {
        registry.add("drawbridge.gateway.storage.endpoint", () -> proxy().endpoint());
    }

    private static synchronized CuttingProxy proxy() {
        if (proxy == null) {
            try {
                URI s3 = URI.create(
                        EmbeddedInfrastructureExtension.shared().endpoints().s3Endpoint());
                proxy = new CuttingProxy(s3, CUT_AFTER);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return proxy;
    }

    @AfterAll
    static void closeProxy() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aFileCutByTheServerEndsShortOfItsContentLength() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.big));

        Response response = get(grant);

        assertThat(response.head()).startsWith("HTTP/1.1 200");
        long length = Long.parseLong(response.header("content-length"));
        assertThat(length).isEqualTo(TestObjects.BIG_SIZE);
        byte[] body = response.readToEnd();
        assertThat((long) body.length).isPositive().isLessThan(length);
        awaitStorageError(grant);
    }

    @Test
    void aStreamedZipCutByTheServerEndsWithoutItsLastChunk() throws Exception {
        // No CRC-32s: written by ZipOutputStream, sent chunked. The big item crosses the proxy's cut.
        Grant grant = grant("active", List.of(TestObjects.readme, TestObjects.big, TestObjects.tool));

        Response response = get(grant);

        assertThat(response.head()).startsWith("HTTP/1.1 200");
        assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
        Chunks chunks = response.readChunks();
        assertThat(chunks.dataBytes()).isPositive();
        assertThat(chunks.lastChunkSeen())
                .as("the terminating zero-length chunk after %d bytes of data", chunks.dataBytes())
                .isFalse();
        awaitStorageError(grant);
    }

    private void awaitStorageError(Grant grant) {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !tokenService.downloadsFor(grant.grantId()).isEmpty());
        assertThat(tokenService.downloadsFor(grant.grantId()))
                .singleElement()
                .isInstanceOfSatisfying(DownloadFailed.class, failed -> assertThat(failed.reason())
                        .isEqualTo("storage_error"));
    }

    private Response get(Grant grant) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + grant.path() + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + clientIp
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("end of headers").isNotNegative();
            head.append((char) c);
        }
        return new Response(socket, in, head.toString());
    }

    private record Chunks(long dataBytes, boolean lastChunkSeen) {}

    private record Response(Socket socket, InputStream in, String head) {

        String header(String name) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }

        /** Everything until the server closes the connection (a read timeout fails the test). */
        byte[] readToEnd() throws IOException {
            try (socket) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                in.transferTo(body);
                return body.toByteArray();
            }
        }

        /** Chunks until the last one or the end of the connection; a read timeout fails the test. */
        Chunks readChunks() throws IOException {
            try (socket) {
                long data = 0;
                while (true) {
                    String sizeLine = line();
                    if (sizeLine == null) {
                        return new Chunks(data, false);
                    }
                    int semicolon = sizeLine.indexOf(';');
                    long size = Long.parseLong(semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon), 16);
                    if (size == 0) {
                        return new Chunks(data, true);
                    }
                    try {
                        in.skipNBytes(size);
                    } catch (EOFException e) {
                        return new Chunks(data, false); // cut inside a chunk
                    }
                    data += size;
                    if (line() == null) {
                        return new Chunks(data, false);
                    }
                }
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    return line.toString().trim();
                }
                line.append((char) c);
            }
            return null;
        }
    }
}
