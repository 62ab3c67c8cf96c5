package io.drawbridge.token;

import org.junit.jupiter.api.Test;

class ApiDocsIT extends TokenServiceTestBase {

    @Test
    void adminApiIsDescribedAsOpenApi() {
        admin().get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/tokens'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/tokens/batch'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/tokens/{tokenId}/revoke'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/tokens/for-order'].post")
                .exists();
    }

    @Test
    void theDescriptionIsNotPublic() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
        web.get().uri("/v3/api-docs.yaml").exchange().expectStatus().isUnauthorized();
    }
}
