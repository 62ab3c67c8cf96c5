package io.drawbridge.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.platform.testapp.PlatformIT;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The RFC 9457 shape every service answers errors with. */
@PlatformIT
class ProblemDetailsIT {

    private static final String ADMIN = "Bearer it-admin-token-4f9c2e7a1b";

    @Autowired
    WebTestClient http;

    @Test
    void problemExceptionIsRenderedWithTypeTitleStatusDetailInstanceErrorAndRetryAfter() {
        http.get()
                .uri("/public/unavailable")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "30")
                .expectBody()
                .json(
                        """
                        {"type": "https://drawbridge.dev/problems/storage_unavailable",
                         "title": "Service Unavailable",
                         "status": 503,
                         "detail": "Object storage does not answer.",
                         "instance": "/public/unavailable",
                         "error": "storage_unavailable"}
                        """,
                        org.springframework.test.json.JsonCompareMode.STRICT);
    }

    @Test
    void unknownRouteIsANotFoundProblem() {
        http.get()
                .uri("/no/such/route")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://drawbridge.dev/problems/not_found")
                .jsonPath("$.error")
                .isEqualTo("not_found")
                .jsonPath("$.status")
                .isEqualTo(404)
                .jsonPath("$.instance")
                .isEqualTo("/no/such/route");
    }

    @Test
    void invalidBodyIsAValidationProblemNamingTheFields() {
        http.post()
                .uri("/api/v1/things")
                .header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "", "copies", 0))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("validation_failed")
                .jsonPath("$.type")
                .isEqualTo("https://drawbridge.dev/problems/validation_failed")
                .jsonPath("$.errors[*].field")
                .value(fields -> assertThat(fields.toString()).contains("name", "copies"));
    }

    @Test
    void unreadableBodyIsAValidationProblem() {
        http.post()
                .uri("/api/v1/things")
                .header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{not json")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("validation_failed");
    }

    @Test
    void unexpectedFailureIsAnInternalErrorWithoutItsMessageOrStackTrace() {
        String body = http.get()
                .uri("/public/boom")
                .exchange()
                .expectStatus()
                .isEqualTo(500)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(body)
                .contains("\"error\":\"internal_error\"")
                .doesNotContain("internal detail", "IllegalStateException", "at io.drawbridge");
    }

    @Test
    void tokenInThePathIsMaskedInTheInstance() {
        String token = "dl_Q2xhc3NpZmllZC1kb3dubG9hZC10b2tlbi0xMjM0NTY";

        String body = http.get()
                .uri("/d/{token}", token)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(body).contains("\"instance\":\"/d/dl_****\"", "\"error\":\"invalid_token\"");
        assertThat(body).doesNotContain(token);
    }
}
