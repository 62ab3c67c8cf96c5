package io.drawbridge.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class SecurityHeadersIT extends GatewayIntegrationSupport {

    @Test
    void everyPublicResponseCarriesTheDefensiveHeaders() {
        String token = newToken();
        FakeTokenService.details(token, "active", Instant.now().plusSeconds(3600), 1, List.of(TestObjects.tool));
        tokenService.grants(token, List.of(TestObjects.tool), 1);
        Grant grant = grant("active", List.of(TestObjects.tool));

        List<WebTestClient.ResponseSpec> responses = List.of(
                http.get().uri("/d/" + token).exchange().expectStatus().isOk(),
                http.head().uri("/d/" + token).exchange().expectStatus().isOk(),
                http.get().uri("/d/" + newToken()).exchange().expectStatus().isNotFound(),
                http.post()
                        .uri("/api/v1/downloads")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("download_token", token))
                        .exchange()
                        .expectStatus()
                        .isOk(),
                http.post()
                        .uri("/api/v1/downloads")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("download_token", "x"))
                        .exchange()
                        .expectStatus()
                        .isUnauthorized(),
                http.head().uri(grant.path()).exchange().expectStatus().isOk(),
                http.get()
                        .uri(grant.path())
                        .header(HttpHeaders.RANGE, "bytes=0-0")
                        .exchange()
                        .expectStatus()
                        .isEqualTo(206),
                http.get()
                        .uri(grant.path())
                        .header(HttpHeaders.RANGE, "bytes=99999999-")
                        .exchange()
                        .expectStatus()
                        .isEqualTo(416),
                http.get().uri("/dl/forged").exchange().expectStatus().isUnauthorized(),
                http.get().uri("/nothing-here").exchange().expectStatus().isNotFound());

        for (WebTestClient.ResponseSpec response : responses) {
            assertSecurityHeaders(response.returnResult(byte[].class).getResponseHeaders());
        }
    }
}
