package io.drawbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.embedded.EmbeddedInfrastructureExtension;
import io.drawbridge.events.DownloadCompleted;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The store closes the gateway's read of a big file once, in the middle of the body (S3 servers drop a connection
 * whose reader paused long for a slow client): the gateway reads the rest again from where it stopped, and the
 * customer gets the whole file, byte for byte, in one response. The gateway reads S3 through a {@link CuttingProxy}
 * that breaks off only its first connection, after 4 MiB. ({@link InterruptedStreamIT}: a store that cuts every
 * connection still ends the response short.)
 */
class ResumedStorageReadIT extends GatewayIntegrationSupport {

    private static final long CUT_AFTER = 4L * 1024 * 1024;
    private static CuttingProxy proxy;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @DynamicPropertySource
    static void storageThroughTheCuttingProxy(DynamicPropertyRegistry registry) {
        registry.add("drawbridge.gateway.storage.endpoint", () -> proxy().endpoint());
    }

    private static synchronized CuttingProxy proxy() {
        if (proxy == null) {
            try {
                URI s3 = URI.create(
                        EmbeddedInfrastructureExtension.shared().endpoints().s3Endpoint());
                proxy = new CuttingProxy(s3, CUT_AFTER, 1);
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
    void aReadTheStoreClosesMidwayIsReadOnFromWhereItStopped() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.big));

        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + grant.path()))
                        .timeout(Duration.ofSeconds(60))
                        .header("X-Forwarded-For", clientIp)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(TestObjects.BIG_SIZE);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long received;
        try (InputStream body = new DigestInputStream(response.body(), sha)) {
            received = body.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(received).isEqualTo(TestObjects.BIG_SIZE);
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(TestObjects.big.sha256());
        assertThat(proxy.cuts()).as("connections the store broke off").isEqualTo(1);
        await().atMost(Duration.ofSeconds(15)).until(() -> !tokenService
                .downloads(DownloadCompleted.class, grant.grantId())
                .isEmpty());
        assertThat(tokenService.downloads(DownloadCompleted.class, grant.grantId()))
                .singleElement()
                .satisfies(completed -> assertThat(completed.bytesSent()).isEqualTo(TestObjects.BIG_SIZE));
    }
}
