package io.drawbridge.file.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.file.support.FileServiceTestSupport;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A client that goes away in the middle of its upload leaves no object, no dangling parts and no row. */
class InterruptedUploadIT extends FileServiceTestSupport {

    @Test
    void clientThatDisconnectsMidUploadLeavesNothingBehind() throws Exception {
        long rowsBefore = count("select count(*) from stored_file");
        int objectsBefore = objectKeys("files/").size();
        var multipartsBefore = pendingMultipartKeys("files/");
        String boundary = "interrupted-boundary";
        long declaredLength = 20L * 1024 * 1024; // under the 24 MB limit: the service reads on
        // More than two 5 MB parts, so the multipart upload is well under way when the client leaves.
        int sent = 13 * 1024 * 1024;

        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/files HTTP/1.1\r\n"
                            + "Host: 127.0.0.1:" + port + "\r\n"
                            + "Authorization: Bearer " + ADMIN_TOKEN + "\r\n"
                            + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                            + "Content-Length: " + declaredLength + "\r\n\r\n"
                            + "--" + boundary + "\r\n"
                            + "Content-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n"
                            + "Content-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[64 * 1024];
            Random random = new Random(9);
            for (int written = 0; written < sent; written += block.length) {
                random.nextBytes(block);
                out.write(block);
            }
            out.flush();
            // Let the service start the multipart upload before the connection drops.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> pendingMultipartKeys("files/").size() > multipartsBefore.size());
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(pendingMultipartKeys("files/")).containsExactlyInAnyOrderElementsOf(multipartsBefore);
            assertThat(objectKeys("files/")).hasSize(objectsBefore);
        });
        assertThat(count("select count(*) from stored_file")).isEqualTo(rowsBefore);
    }
}
