package io.drawbridge.file.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.file.support.FileServiceTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;

/**
 * A client that sends its body without Content-Length (chunked) cannot be refused up front: the service finds out that
 * the file is too large only after reading the limit, while the client is still sending. The client must still get a
 * readable 413 problem (not a connection reset), and nothing may be left in the bucket or the table.
 *
 * <p>When the service stopped reading 2 MiB after the refusal, cancelling the multipart decoder in the middle of the
 * body released a request buffer once too often, Netty's HTTP decoder failed on it and the connection was closed while
 * the client still sent: "Connection reset by peer" after 39-59 MB of the 72 MB body. The service now reads the rest
 * (up to {@code refused-drain-size}) before it answers.
 */
class ChunkedOversizedUploadIT extends FileServiceTestSupport {

    private static final String BOUNDARY = "chunked-oversized-boundary";

    @Test
    void chunkedUploadOverTheLimitGetsAReadable413AndLeavesNothing() throws Exception {
        long rowsBefore = count("select count(*) from stored_file");
        int objectsBefore = objectKeys("files/").size();
        var multipartsBefore = pendingMultipartKeys("files/");
        // Three times the 24 MB limit, sent as fast as the service reads it, like a client that does not look for an
        // early answer (curl stops sending when it sees one; simpler clients and proxies do not).
        long total = 72L * 1024 * 1024;
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(dropped::add);

        String response;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/files HTTP/1.1\r\n"
                            + "Host: 127.0.0.1:" + port + "\r\n"
                            + "Authorization: Bearer " + ADMIN_TOKEN + "\r\n"
                            + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(
                    out,
                    ("--" + BOUNDARY + "\r\n"
                                    + "Content-Disposition: form-data; name=\"file\"; filename=\"huge.bin\"\r\n"
                                    + "Content-Type: application/octet-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[64 * 1024];
            new Random(13).nextBytes(block);
            long sent = 0;
            try {
                for (; sent < total; sent += block.length) {
                    chunk(out, block);
                }
                chunk(out, ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                throw new AssertionError("the service cut the connection after " + sent + " bytes of the body", e);
            }
            response = readResponse(socket.getInputStream());
        } finally {
            Hooks.resetOnErrorDropped();
        }

        assertThat(response).startsWith("HTTP/1.1 413 ");
        assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(response).contains("\"error\":\"file_too_large\"").contains("DRAWBRIDGE_FILE_MAX_SIZE");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(pendingMultipartKeys("files/")).containsExactlyInAnyOrderElementsOf(multipartsBefore);
            assertThat(objectKeys("files/")).hasSize(objectsBefore);
        });
        assertThat(count("select count(*) from stored_file")).isEqualTo(rowsBefore);
        assertThat(dropped)
                .as("errors dropped by Reactor (a buffer released twice)")
                .isEmpty();
    }

    private static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Status line, headers and the body announced by Content-Length (the service answers with one). */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        if (headers.startsWith("HTTP/1.1 100 ")) { // "100 Continue" first when the client asked for it
            return readResponse(in);
        }
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
