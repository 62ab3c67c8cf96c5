package io.drawbridge.file;

import io.drawbridge.file.support.FileServiceTestSupport;
import org.junit.jupiter.api.Test;

class ApiDocsIT extends FileServiceTestSupport {

    @Test
    void adminApiIsDescribedAsOpenApi() {
        admin().get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/files'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/uploads/{id}/complete'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/products/{sku}/releases'].post")
                .exists();
    }

    @Test
    void theDescriptionIsNotPublic() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
        web.get().uri("/v3/api-docs.yaml").exchange().expectStatus().isUnauthorized();
    }
}
