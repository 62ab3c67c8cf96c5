package io.drawbridge.file.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drawbridge.events.Topics;
import io.drawbridge.file.support.EventProbe;
import io.drawbridge.file.support.FileServiceTestSupport;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/**
 * Scanning with a real clamd (Debian's clamav-daemon) started by {@code src/test/clamd/start-clamd.sh} with a test-only
 * signature for the EICAR test string. Skipped, with a message, where no clamd is installed.
 */
class ClamdScanIT extends FileServiceTestSupport {

    /** The EICAR anti-virus test string, assembled at run time so this source file is not flagged itself. */
    static final byte[] EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
            .getBytes(StandardCharsets.US_ASCII);

    private static Process clamd;
    private static int clamdPort;

    @BeforeAll
    static void startClamd() throws Exception {
        assumeTrue(
                new File("/usr/sbin/clamd").canExecute() || onPath("clamd"),
                "clamd is not installed (apt-get install -y clamav-daemon): malware scanning tests skipped");
        try (ServerSocket probe = new ServerSocket(0)) {
            clamdPort = probe.getLocalPort();
        }
        Path work =
                Files.createDirectories(Path.of("target", "clamd-" + clamdPort)).toAbsolutePath();
        clamd = new ProcessBuilder(
                        "bash", "src/test/clamd/start-clamd.sh", work.toString(), Integer.toString(clamdPort))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("stdout.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(clamd.isAlive()).as("clamd exited; see " + work).isTrue();
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", clamdPort), 200);
                        return true;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
    }

    @AfterAll
    static void stopClamd() throws Exception {
        if (clamd != null) {
            clamd.destroy();
            if (!clamd.waitFor(10, TimeUnit.SECONDS)) {
                clamd.destroyForcibly();
            }
        }
    }

    @DynamicPropertySource
    static void clamdProperties(DynamicPropertyRegistry registry) {
        registry.add("drawbridge.file.clamd.host", () -> "127.0.0.1");
        registry.add("drawbridge.file.clamd.port", () -> clamdPort);
    }

    @Test
    void cleanFilesAreScannedAndAnnounced() {
        JsonNode file = upload("clean.txt", "nothing to see here".getBytes(StandardCharsets.UTF_8));

        assertThat(file.get("scan_status").asString()).isEqualTo("clean");
        assertThat(file.get("available").asBoolean()).isTrue();
        try (EventProbe files = new EventProbe(endpoints().kafkaBootstrapServers(), Topics.FILES)) {
            assertThat(files.await(file.get("id").asString(), "FileStored")
                            .get("scanStatus")
                            .asString())
                    .isEqualTo("clean");
        }
    }

    @Test
    void infectedFilesAreQuarantinedVisibleToAdminsAndNeverAnnounced() {
        JsonNode infected = upload("invoice.zip", EICAR);
        String infectedId = infected.get("id").asString();

        assertThat(infected.get("scan_status").asString()).isEqualTo("infected");
        assertThat(infected.get("scan_signature").asString()).startsWith("Drawbridge-Test-EICAR");
        assertThat(infected.get("available").asBoolean()).isFalse();
        admin().get()
                .uri("/api/v1/files/{id}", infectedId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.scan_status")
                .isEqualTo("infected");

        String sku = "scan-" + UUID.randomUUID().toString().substring(0, 8);
        admin().post()
                .uri("/api/v1/products")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", sku, "name", "Scanned"))
                .exchange()
                .expectStatus()
                .isCreated();
        admin().post()
                .uri("/api/v1/products/{sku}/releases", sku)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("version", "1", "files", Map.of("any", infectedId)))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("file_quarantined");

        // The outbox relays in order: once a later clean file is announced, the infected one never will be.
        String cleanId = upload("later.txt", "fine".getBytes(StandardCharsets.UTF_8))
                .get("id")
                .asString();
        try (EventProbe files = new EventProbe(endpoints().kafkaBootstrapServers(), Topics.FILES)) {
            files.await(cleanId, "FileStored");
            assertThat(files.seen(infectedId, "FileStored")).isEmpty();
        }
    }

    private JsonNode upload(String name, byte[] content) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return name;
            }
        });
        return admin().post()
                .uri("/api/v1/files")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, binary).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
