package io.drawbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * One address creating and reading one-time shares draws on the share buckets (this test's settings: 3 uploads, 4 MiB
 * of uploads, 3 reads, none refilled within the test). No file-service answers here: what is asserted is only
 * whether the gateway let a request through (anything but 429) or refused it (429 {@code rate_limited}).
 */
class ShareRateLimitIT extends GatewayIntegrationSupport {

    private static final String BOUNDARY = "share-rate-limit-it";

    /** A multipart body with one text field, written out here (the client's own boundary needs a SecureRandom). */
    private static byte[] multipart(String text) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" + text + "\r\n--"
                        + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private int upload(int bytes) {
        return post("/api/v1/shares", "x".repeat(bytes));
    }

    private int post(String path, String text) {
        return http.post()
                .uri(path)
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + BOUNDARY))
                .bodyValue(multipart(text))
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value();
    }

    @Test
    void anAddressMayCreateAFewSharesThenIsRateLimited() {
        for (int i = 0; i < 3; i++) {
            assertThat(upload(10)).isNotEqualTo(429);
        }

        assertThat(post("/share", "one more")).isEqualTo(429);
        assertThat(upload(10)).isEqualTo(429);
        // Another address is not affected.
        http = http.mutate().defaultHeader("X-Forwarded-For", clientIp + "1").build();
        assertThat(upload(10)).isNotEqualTo(429);
    }

    @Test
    void theSizeOfAnAddressesUploadsIsLimitedToo() {
        // A body costs one token per started MiB, multipart framing included: 2.5 MiB of text takes 3 of the 4.
        assertThat(upload(5 * 512 * 1024)).as("3 of 4 MiB").isNotEqualTo(429);
        assertThat(upload(2 * 1024 * 1024))
                .as("2 more MiB, with uploads left in the count")
                .isEqualTo(429);
        assertThat(upload(500 * 1024)).as("what is left of the 4 MiB").isNotEqualTo(429);
    }

    @Test
    void readsAndPasswordTriesAreLimitedButLookingIsNot() {
        for (int i = 0; i < 3; i++) {
            assertThat(http.post()
                            .uri("/api/v1/shares/read")
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(Map.of("token", "sh_guess" + i, "password", "guess"))
                            .exchange()
                            .returnResult(String.class)
                            .getStatus()
                            .value())
                    .isNotEqualTo(429);
        }
        http.post()
                .uri("/s/sh_guess")
                .body(BodyInserters.fromFormData("password", "guess"))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        http.post()
                .uri("/api/v1/shares/read")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", "sh_guess"))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("rate_limited");
        assertThat(http.get()
                        .uri("/s/sh_guess")
                        .exchange()
                        .returnResult(String.class)
                        .getStatus()
                        .value())
                .as("the page draws on the page views' bucket")
                .isNotEqualTo(429);
    }
}
