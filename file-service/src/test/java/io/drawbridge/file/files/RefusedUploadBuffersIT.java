package io.drawbridge.file.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.file.support.FileServiceTestSupport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Hooks;

/**
 * A refused upload gives back every request buffer exactly once. A buffer released twice shows up as an
 * {@code IllegalReferenceCountException} that Reactor drops (it was logged by file-service after refused uploads);
 * the server runs in this JVM, so the dropped errors are caught with {@link Hooks#onErrorDropped}.
 */
class RefusedUploadBuffersIT extends FileServiceTestSupport {

    private final List<Throwable> dropped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void catchDroppedErrors() {
        Hooks.onErrorDropped(dropped::add);
    }

    @AfterEach
    void restoreHooks() {
        Hooks.resetOnErrorDropped();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"run.sh, echo hi, 415", "empty.bin, '', 400", "notes.txt, just some text, 201"})
    void refusedUploadReleasesEveryBufferOnce(String name, String content, int status) throws Exception {
        String boundary = "refused-boundary";
        byte[] body = ("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n"
                        + content
                        + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        String response;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            // Headers and body in two writes, as curl sends them: the body arrives in its own network buffer.
            out.write(("POST /api/v1/files HTTP/1.1\r\n"
                            + "Host: 127.0.0.1:" + port + "\r\n"
                            + "Authorization: Bearer " + ADMIN_TOKEN + "\r\n"
                            + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                            + "Content-Length: " + body.length + "\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(dropped)
                .as("errors dropped by Reactor while serving the upload")
                .isEmpty());
    }
}
