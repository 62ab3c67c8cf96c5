package io.drawbridge.file.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.events.Topics;
import io.drawbridge.file.support.EventProbe;
import io.drawbridge.file.support.FileServiceTestSupport;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

class ProductReleaseIT extends FileServiceTestSupport {

    @Test
    void publishingAReleaseMakesItCurrentAndAnnouncesIt() {
        String sku = "app-" + UUID.randomUUID().toString().substring(0, 8);
        String windows = storeFile("setup.exe");
        String macos = storeFile("app.dmg");
        String linuxA = storeFile("app.appimage");
        String linuxB = storeFile("app.tar.gz");
        createProduct(sku, "Demo App")
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueEquals("Location", "/api/v1/products/" + sku);

        JsonNode release = admin().post()
                .uri("/api/v1/products/{sku}/releases", sku)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "version", "1.0.0",
                        "notes", "First.",
                        "files", Map.of("windows", windows, "macos", macos, "linux", List.of(linuxA, linuxB))))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueEquals("Location", "/api/v1/products/" + sku + "/releases/1.0.0")
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        assertThat(release.get("files").get("linux").size()).isEqualTo(2);
        assertThat(release.get("files").get("linux").get(1).get("id").asString())
                .isEqualTo(linuxB);
        assertThat(release.get("files").get("windows").get(0).get("sha256").asString())
                .hasSize(64);
        assertThat(release.get("published_at").isString()).isTrue();

        admin().get()
                .uri("/api/v1/products/{sku}", sku)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.current_version")
                .isEqualTo("1.0.0")
                .jsonPath("$.current_release.files.macos[0].id")
                .isEqualTo(macos)
                .jsonPath("$.releases.length()")
                .isEqualTo(1);

        try (EventProbe releases = new EventProbe(endpoints().kafkaBootstrapServers(), Topics.RELEASES)) {
            JsonNode event = releases.await(sku, "ReleasePublished");
            assertThat(event.get("productName").asString()).isEqualTo("Demo App");
            assertThat(event.get("version").asString()).isEqualTo("1.0.0");
            assertThat(event.get("files").get("linux").get(1).asString()).isEqualTo(linuxB);
            assertThat(event.get("files").get("windows").get(0).asString()).isEqualTo(windows);
        }

        admin().post()
                .uri("/api/v1/products/{sku}/releases", sku)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("version", "1.1.0", "files", Map.of("any", windows)))
                .exchange()
                .expectStatus()
                .isCreated();
        admin().get()
                .uri("/api/v1/products/{sku}", sku)
                .exchange()
                .expectBody()
                .jsonPath("$.current_version")
                .isEqualTo("1.1.0");
        admin().get()
                .uri("/api/v1/products")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[?(@.sku == '" + sku + "')].current_version")
                .isEqualTo("1.1.0");
    }

    @Test
    void versionsAreUniquePerProductAndReleasesReferenceOnlyStoredFiles() {
        String sku = "tool-" + UUID.randomUUID().toString().substring(0, 8);
        String file = storeFile("tool.zip");
        createProduct(sku, "Tool").expectStatus().isCreated();
        createProduct(sku, "Tool again")
                .expectStatus()
                .isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("product_exists");

        publish(sku, "2.0", Map.of("any", file)).expectStatus().isCreated();
        publish(sku, "2.0", Map.of("any", file))
                .expectStatus()
                .isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("version_exists");
        publish(sku, "2.1", Map.of("any", UUID.randomUUID().toString()))
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("unknown_file");
        publish(sku, "2.2", Map.of("beos", file))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("validation_failed");
        publish("no-such-product", "1", Map.of("any", file)).expectStatus().isNotFound();
    }

    @Test
    void aFileInAPublishedReleaseCannotBeDeleted() {
        String sku = "keep-" + UUID.randomUUID().toString().substring(0, 8);
        String file = storeFile("keep.zip");
        createProduct(sku, "Keep").expectStatus().isCreated();
        publish(sku, "1", Map.of("any", file)).expectStatus().isCreated();

        admin().delete()
                .uri("/api/v1/files/{id}", file)
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("file_in_use");
        assertThat(objectKeys("files/" + file)).hasSize(1);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec createProduct(
            String sku, String name) {
        return admin().post()
                .uri("/api/v1/products")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", sku, "name", name))
                .exchange();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec publish(
            String sku, String version, Map<String, Object> files) {
        return admin().post()
                .uri("/api/v1/products/{sku}/releases", sku)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("version", version, "files", files))
                .exchange();
    }

    private String storeFile(String name) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", new ByteArrayResource(("content of " + name).getBytes()) {
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
                .getResponseBody()
                .get("id")
                .asString();
    }
}
