package io.drawbridge.file.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.Topics;
import io.drawbridge.file.support.EventProbe;
import io.drawbridge.file.support.FileServiceTestSupport;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

class FileUploadIT extends FileServiceTestSupport {

    private static EventProbe files;

    @BeforeAll
    static void probe() {
        files = new EventProbe(endpoints().kafkaBootstrapServers(), Topics.FILES);
    }

    @AfterAll
    static void closeProbe() {
        files.close();
    }

    @Test
    void smallUploadIsStoredWithChecksumsAndAnnounced() throws Exception {
        byte[] content = bytes(100_000, 1);

        JsonNode body = upload("installer.zip", "application/zip", content)
                .expectStatus()
                .isCreated()
                .expectHeader()
                .value("Location", location -> assertThat(location).startsWith("/api/v1/files/"))
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();

        UUID id = UUID.fromString(body.get("id").asString());
        assertThat(body.get("name").asString()).isEqualTo("installer.zip");
        assertThat(body.get("size").asLong()).isEqualTo(content.length);
        assertThat(body.get("sha256").asString()).isEqualTo(sha256(content));
        assertThat(body.get("crc32").asString()).isEqualTo(crc32(content));
        assertThat(body.get("content_type").asString()).isEqualTo("application/zip");
        assertThat(body.get("scan_status").asString()).isEqualTo("not_scanned");
        assertThat(body.has("created_at")).isTrue();
        assertThat(objectKeys("files/" + id)).containsExactly("files/" + id);
        assertThat(fileRowExists(id)).isTrue();

        JsonNode event = files.await(id.toString(), "FileStored");
        assertThat(event.get("objectKey").asString()).isEqualTo("files/" + id);
        assertThat(event.get("sha256").asString()).isEqualTo(sha256(content));
        assertThat(event.get("crc32").asString()).isEqualTo(crc32(content));
        assertThat(event.get("size").asLong()).isEqualTo(content.length);
        assertThat(event.get("contentType").asString()).isEqualTo("application/zip");
        assertThat(event.get("scanStatus").asString()).isEqualTo("not_scanned");
    }

    @Test
    void uploadLargerThanOnePartGoesUpInPartsAndReadsBackIdentical() throws Exception {
        byte[] content = bytes(12 * 1024 * 1024 + 123, 2);

        JsonNode body = upload("big.bin", "application/octet-stream", content)
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();

        String key = "files/" + body.get("id").asString();
        assertThat(body.get("sha256").asString()).isEqualTo(sha256(content));
        try (var in = s3().getObject(io.minio.GetObjectArgs.builder()
                .bucket(endpoints().s3Bucket())
                .object(key)
                .build())) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(content));
        }
        assertThat(pendingMultipartKeys(key)).isEmpty();
    }

    @Test
    void namesAreKeptForDisplayOnlyAndSanitised() {
        JsonNode body = upload("../../etc/evil\r\nname\u202e.txt", "text/plain", bytes(10, 3))
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();

        assertThat(body.get("name").asString())
                .startsWith("evil")
                .endsWith("name.txt")
                .doesNotContain("/", "..", "\r", "\n", "\u202e");
        assertThat(objectKeys("files/" + body.get("id").asString())).hasSize(1);
    }

    @Test
    void oversizedUploadIsRefusedWithTheLimitAndHowToRaiseItAndLeavesNothing() {
        long rowsBefore = count("select count(*) from stored_file");
        int objectsBefore = objectKeys("files/").size();
        var multipartsBefore = pendingMultipartKeys("files/");

        upload("huge.bin", "application/octet-stream", bytes(24 * 1024 * 1024 + 1, 4))
                .expectStatus()
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("file_too_large")
                .jsonPath("$.detail")
                .value(String.class, detail -> assertThat(detail)
                        .contains("24 MiB")
                        .contains("drawbridge.file.max-size")
                        .contains("DRAWBRIDGE_FILE_MAX_SIZE"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(objectKeys("files/")).hasSize(objectsBefore);
            assertThat(pendingMultipartKeys("files/")).containsExactlyInAnyOrderElementsOf(multipartsBefore);
        });
        assertThat(count("select count(*) from stored_file")).isEqualTo(rowsBefore);
    }

    @Test
    void emptyFileIsRefused() {
        int objectsBefore = objectKeys("files/").size();

        upload("empty.txt", "text/plain", new byte[0])
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("empty_file");

        assertThat(objectKeys("files/")).hasSize(objectsBefore);
    }

    @Test
    void extensionOutsideTheAllowListIsRefused() {
        upload("script.sh", "text/x-shellscript", bytes(10, 5))
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("unsupported_file_type")
                .jsonPath("$.detail")
                .value(String.class, detail -> assertThat(detail).contains("sh").contains("allowed-extensions"));
    }

    @Test
    void bodyWithoutAFilePartIsRefused() {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("note", "no file here");
        admin().post()
                .uri("/api/v1/files")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("missing_file");
    }

    @Test
    void uploadsNeedTheAdminToken() {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", resource("a.txt", bytes(10, 6)));
        web.post()
                .uri("/api/v1/files")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void filesCanBeListedSearchedFetchedAndDeleted() {
        String marker = "searchable-" + UUID.randomUUID().toString().substring(0, 8);
        String id = upload(marker + ".txt", "text/plain", bytes(42, 7))
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody()
                .get("id")
                .asString();

        admin().get()
                .uri("/api/v1/files?q={q}", marker.toUpperCase())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.items[0].id")
                .isEqualTo(id);
        admin().get()
                .uri("/api/v1/files?q={q}", "100%_no_such")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(0);
        admin().get()
                .uri("/api/v1/files/{id}", id)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.size")
                .isEqualTo(42);

        admin().delete().uri("/api/v1/files/{id}", id).exchange().expectStatus().isNoContent();

        admin().get()
                .uri("/api/v1/files/{id}", id)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("file_not_found");
        assertThat(objectKeys("files/" + id)).isEmpty();
        JsonNode deleted = files.await(id, "FileDeleted");
        assertThat(deleted.get("objectKey").asString()).isEqualTo("files/" + id);
    }

    private WebTestClient.ResponseSpec upload(String name, String type, byte[] content) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", resource(name, content)).contentType(MediaType.parseMediaType(type));
        return admin().post()
                .uri("/api/v1/files")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    static ByteArrayResource resource(String name, byte[] content) {
        return new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return name;
            }
        };
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    static String crc32(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return String.format("%08x", crc.getValue());
    }

    static Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
    }
}
