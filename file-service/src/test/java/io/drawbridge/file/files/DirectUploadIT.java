package io.drawbridge.file.files;

import static io.drawbridge.file.files.FileUploadIT.bytes;
import static io.drawbridge.file.files.FileUploadIT.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.file.files.domain.DirectUploads;
import io.drawbridge.file.support.FileServiceTestSupport;
import io.minio.GetObjectArgs;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

class DirectUploadIT extends FileServiceTestSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    DirectUploads directUploads;

    @Test
    void smallDirectUploadIsOnePresignedPutAndBecomesAFileOnComplete() throws Exception {
        byte[] content = bytes(300_000, 11);
        JsonNode upload = start("tool.zip", content.length, "application/zip");
        assertThat(upload.get("method").asString()).isEqualTo("PUT");
        assertThat(upload.has("parts")).isFalse();
        Instant expiresAt = Instant.parse(upload.get("expires_at").asString());
        assertThat(expiresAt)
                .isBetween(Instant.now().plusSeconds(14 * 60), Instant.now().plusSeconds(16 * 60));
        String id = upload.get("id").asString();

        assertThat(put(upload.get("url").asString(), content)).isEqualTo(200);
        assertThat(fileRowExists(UUID.fromString(id))).isFalse();

        JsonNode file = complete(id, Map.of("sha256", sha256(content)))
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Location", "/api/v1/files/" + id)
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        assertThat(file.get("sha256").asString()).isEqualTo(sha256(content));
        assertThat(file.get("size").asLong()).isEqualTo(content.length);
        assertThat(file.get("name").asString()).isEqualTo("tool.zip");
        assertThat(fileRowExists(UUID.fromString(id))).isTrue();

        // Completing again answers the same file.
        complete(id, Map.of())
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(id);
    }

    @Test
    void largeDirectUploadGetsOnePresignedUrlPerPart() throws Exception {
        byte[] content = bytes(11 * 1024 * 1024 + 7, 12);
        JsonNode upload = start("big.dmg", content.length, "application/x-apple-diskimage");
        JsonNode parts = upload.get("parts");
        assertThat(parts.size()).isEqualTo(3);
        assertThat(upload.get("part_size").asLong()).isEqualTo(5 * 1024 * 1024);
        String id = upload.get("id").asString();

        // Completing before every part is there is refused and keeps the upload open.
        JsonNode first = parts.get(0);
        assertThat(put(first.get("url").asString(), slice(content, first))).isEqualTo(200);
        complete(id, Map.of())
                .expectStatus()
                .isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("upload_incomplete");

        for (int i = 1; i < parts.size(); i++) {
            assertThat(put(parts.get(i).get("url").asString(), slice(content, parts.get(i))))
                    .isEqualTo(200);
        }
        complete(id, Map.of())
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.sha256")
                .isEqualTo(sha256(content))
                .jsonPath("$.size")
                .isEqualTo(content.length);
        assertThat(pendingMultipartKeys("files/" + id)).isEmpty();
    }

    @Test
    void aVerifiedUploadCannotBeSwappedThroughItsStillValidPresignedUrl() throws Exception {
        byte[] content = bytes(200_000, 21);
        byte[] other = bytes(200_000, 22);
        JsonNode upload = start("swap.bin", content.length, "application/octet-stream");
        String id = upload.get("id").asString();
        String url = upload.get("url").asString();
        assertThat(put(url, content)).isEqualTo(200);
        complete(id, Map.of("sha256", sha256(content))).expectStatus().isOk();
        String objectKey = db.sql("select object_key from stored_file where id = :id")
                .bind("id", UUID.fromString(id))
                .map(row -> row.get(0, String.class))
                .one()
                .block();

        // The presigned PUT is valid for another quarter of an hour: a second PUT must not reach what buyers get.
        int status = put(url, other);

        assertThat(status).isBetween(200, 499);
        try (InputStream in = s3().getObject(GetObjectArgs.builder()
                .bucket(endpoints().s3Bucket())
                .object(objectKey)
                .build())) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(content));
        }
    }

    @Test
    void completingWithoutTheBytesOrWithOtherBytesIsRefused() throws Exception {
        byte[] content = bytes(1000, 13);
        JsonNode upload = start("a.bin", content.length, "application/octet-stream");
        String id = upload.get("id").asString();

        complete(id, Map.of())
                .expectStatus()
                .isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("upload_incomplete");

        assertThat(put(upload.get("url").asString(), Arrays.copyOf(content, 999)))
                .isEqualTo(200);
        complete(id, Map.of())
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("size_mismatch");
        assertThat(objectKeys("files/" + id)).isEmpty();

        assertThat(put(upload.get("url").asString(), content)).isEqualTo(200);
        complete(id, Map.of("sha256", "0".repeat(64)))
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("checksum_mismatch");
        assertThat(objectKeys("files/" + id)).isEmpty();
        assertThat(objectKeys("uploads/" + id)).isEmpty();
        assertThat(fileRowExists(UUID.fromString(id))).isFalse();
    }

    @Test
    void directUploadsAreCheckedAgainstTheLimitsUpFront() {
        startRequest(Map.of("name", "huge.bin", "size", 25L * 1024 * 1024, "content_type", "application/octet-stream"))
                .expectStatus()
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("file_too_large");
        startRequest(Map.of("name", "empty.bin", "size", 0, "content_type", "application/octet-stream"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("empty_file");
        startRequest(Map.of("name", "run.sh", "size", 10, "content_type", "text/x-shellscript"))
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void uploadsNeverCompletedAreSweptWithTheirPartsAndObjects() throws Exception {
        byte[] content = bytes(9 * 1024 * 1024, 14);
        JsonNode multipart = start("never.bin", content.length, "application/octet-stream");
        JsonNode part = multipart.get("parts").get(0);
        assertThat(put(part.get("url").asString(), slice(content, part))).isEqualTo(200);
        JsonNode single = start("never.txt", 10, "text/plain");
        assertThat(put(single.get("url").asString(), bytes(10, 15))).isEqualTo(200);
        String multipartId = multipart.get("id").asString();
        String singleId = single.get("id").asString();
        db.sql("update direct_upload set expires_at = now() - interval '2 hours' where id in (:a, :b)")
                .bind("a", UUID.fromString(multipartId))
                .bind("b", UUID.fromString(singleId))
                .then()
                .block();

        directUploads.sweep().block();

        assertThat(count("select count(*) from direct_upload where id in ('" + multipartId + "', '" + singleId + "')"))
                .isZero();
        assertThat(objectKeys("files/" + singleId)).isEmpty();
        assertThat(objectKeys("uploads/" + singleId)).isEmpty();
        assertThat(pendingMultipartKeys("uploads/" + multipartId)).isEmpty();
        complete(multipartId, Map.of()).expectStatus().isNotFound();
    }

    private JsonNode start(String name, long size, String type) {
        return startRequest(Map.of("name", name, "size", size, "content_type", type))
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec startRequest(
            Map<String, Object> body) {
        return admin().post()
                .uri("/api/v1/uploads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec complete(
            String id, Map<String, String> body) {
        return admin().post()
                .uri("/api/v1/uploads/{id}/complete", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static byte[] slice(byte[] content, JsonNode part) {
        int offset = (int) part.get("offset").asLong();
        return Arrays.copyOfRange(
                content, offset, offset + (int) part.get("length").asLong());
    }

    private static int put(String url, byte[] body) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
