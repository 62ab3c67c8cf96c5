package io.drawbridge.audit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

@AuditIntegrationTest
class ApiDocsIT {

    @Autowired
    WebTestClient web;

    @Test
    void adminApiIsDescribedAsOpenApi() {
        web.get()
                .uri("/v3/api-docs")
                .header("Authorization", "Bearer " + AuditIntegrationTest.ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/stats'].get")
                .exists()
                .jsonPath("$.paths['/api/v1/download-logs'].get")
                .exists()
                .jsonPath("$.paths['/api/v1/orders/{orderId}/timeline'].get")
                .exists();
    }

    @Test
    void theDescriptionIsNotPublic() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
        web.get().uri("/v3/api-docs.yaml").exchange().expectStatus().isUnauthorized();
    }
}
