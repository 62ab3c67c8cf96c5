package io.drawbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The admin API as a test calls it: with the admin bearer token, answers parsed as JSON. */
public final class AdminApi {

    private final WebTestClient client;

    public AdminApi(WebTestClient client) {
        this.client = client.mutate()
                .responseTimeout(Duration.ofSeconds(20))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + AuditIntegrationTest.ADMIN_TOKEN)
                .build();
    }

    public WebTestClient client() {
        return client;
    }

    public JsonNode get(String uri) {
        JsonNode body = client.get()
                .uri(uri)
                .accept(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        assertThat(body).as("body of %s", uri).isNotNull();
        return body;
    }

    /** The download log rows matching {@code query} (a query string without "?"). */
    public JsonNode logs(String query) {
        return get("/api/v1/download-logs?" + query).get("items");
    }
}
