package io.drawbridge.platform.security;

import io.drawbridge.platform.testapp.PlatformIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Admin and service routes need their own bearer token; public paths and actuator do not. */
@PlatformIT
class BearerTokenIT {

    private static final String ADMIN_TOKEN = "it-admin-token-4f9c2e7a1b";
    private static final String SERVICE_TOKEN = "it-service-token-8d3b6a0c5e";

    @Autowired
    WebTestClient http;

    @Test
    void adminRouteWithoutATokenIsUnauthorized() {
        http.get()
                .uri("/api/v1/things/1")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .exists(HttpHeaders.WWW_AUTHENTICATE)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("unauthorized");
    }

    @Test
    void adminRouteWithAWrongTokenIsUnauthorized() {
        http.get()
                .uri("/api/v1/things/1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN + "x")
                .exchange()
                .expectStatus()
                .isUnauthorized();
        http.get()
                .uri("/api/v1/things/1")
                .header(HttpHeaders.AUTHORIZATION, "Basic " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void theOpenApiDescriptionNeedsTheAdminToken() {
        for (String path : new String[] {"/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config"}) {
            http.get().uri(path).exchange().expectStatus().isUnauthorized();
            // past the filter: this test application has no springdoc, so nothing is there
            http.get()
                    .uri(path)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                    .exchange()
                    .expectStatus()
                    .isNotFound();
        }
    }

    @Test
    void adminRouteWithTheAdminTokenIsServed() {
        http.get()
                .uri("/api/v1/things/1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo("1");
    }

    @Test
    void internalRouteTakesTheServiceTokenNotTheAdminToken() {
        http.get()
                .uri("/internal/v1/ping")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isUnauthorized();
        http.get()
                .uri("/internal/v1/ping")
                .header(HttpHeaders.AUTHORIZATION, "bearer " + SERVICE_TOKEN)
                .exchange()
                .expectStatus()
                .isOk();
        http.get()
                .uri("/api/v1/things/1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SERVICE_TOKEN)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void publicPathsAndActuatorNeedNoToken() {
        http.get().uri("/api/v1/open/ping").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }
}
