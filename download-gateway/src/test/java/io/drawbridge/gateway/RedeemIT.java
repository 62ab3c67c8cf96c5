package io.drawbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DownloadRequested;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;

class RedeemIT extends GatewayIntegrationSupport {

    @Test
    void clickingDownloadRedirectsToASignedGrantThatDownloadsTheFile() {
        String token = newToken();
        tokenService.grants(token, List.of(TestObjects.tool), 2);

        EntityExchangeResult<Void> result = http.post()
                .uri("/d/" + token)
                .header(HttpHeaders.USER_AGENT, "Mozilla/5.0 test")
                .body(BodyInserters.fromFormData("platform", "windows").with("email", "buyer@example.com"))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.SEE_OTHER)
                .expectBody()
                .isEmpty();

        URI location = result.getResponseHeaders().getLocation();
        assertThat(location).isNotNull();
        assertThat(location.toString()).matches("/dl/[0-9a-f-]{36}\\.[0-9]+\\.[A-Za-z0-9_-]{43}");
        assertSecurityHeaders(result.getResponseHeaders());

        DownloadRequested request = tokenService.requestsFor(token).get(0);
        assertThat(request.tokenHash()).isEqualTo(FakeTokenService.hash(token));
        assertThat(request.platform()).isEqualTo("windows");
        assertThat(request.email()).isEqualTo("buyer@example.com");
        assertThat(request.clientIp()).isEqualTo(clientIp);
        assertThat(request.userAgent()).isEqualTo("Mozilla/5.0 test");
        assertThat(request.toString()).doesNotContain(token);

        http.get()
                .uri(location.toString())
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentLength(TestObjects.tool.size())
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, "\"" + TestObjects.tool.sha256() + "\"");
        // The grant this instance just redeemed is known here: its download asked token-service for its lease only.
        UUID grantId = UUID.fromString(location.getPath().substring("/dl/".length(), "/dl/".length() + 36));
        assertThat(FakeTokenService.grantLookups(grantId)).isZero();
        assertThat(FakeTokenService.leasesOf(grantId)).hasSize(1);
    }

    @Test
    void scriptsGetTheDownloadLinkAsJson() {
        String token = newToken();
        tokenService.grants(token, List.of(TestObjects.tool), 4);

        http.post()
                .uri("/api/v1/downloads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", token, "customer_email", "buyer@example.com"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody()
                .jsonPath("$.download_url")
                .value(String.class, url -> assertThat(url)
                        .matches("https://downloads\\.example\\.com/dl/[0-9a-f-]{36}\\.[0-9]+\\.[A-Za-z0-9_-]{43}"))
                .jsonPath("$.filename")
                .isEqualTo("tool.exe")
                .jsonPath("$.file_size")
                .isEqualTo(TestObjects.tool.size())
                .jsonPath("$.sha256")
                .isEqualTo(TestObjects.tool.sha256())
                .jsonPath("$.expires_at")
                .isNotEmpty()
                .jsonPath("$.downloads_remaining")
                .isEqualTo(4);
    }

    @Test
    void severalFilesAreOneArchiveWithoutAKnownSize() {
        String token = newToken();
        tokenService.grants(token, List.of(TestObjects.tool, TestObjects.readme), 1);

        http.post()
                .uri("/api/v1/downloads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.filename")
                .isEqualTo("bundle.zip")
                .jsonPath("$.file_size")
                .doesNotExist();
    }

    @ParameterizedTest
    @CsvSource({
        "invalid_token, 401",
        "email_mismatch, 403",
        "token_expired, 410",
        "token_revoked, 410",
        "usage_limit_exceeded, 429",
        "file_not_found, 404"
    })
    void eachDenialIsAProblemWithItsCode(String reason, int status) {
        String token = newToken();
        tokenService.denies(token, reason);

        http.post()
                .uri("/api/v1/downloads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", token))
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo(reason)
                .jsonPath("$.status")
                .isEqualTo(status)
                .jsonPath("$.type")
                .isEqualTo("https://drawbridge.dev/problems/" + reason);
    }

    @ParameterizedTest
    @CsvSource({
        "email_mismatch, 403, That email address does not match",
        "token_revoked, 410, This link has been cancelled",
        "usage_limit_exceeded, 429, No downloads left"
    })
    void aRefusedClickIsAPageWithTheRightStatus(String reason, int status, String words) {
        String token = newToken();
        tokenService.denies(token, reason);

        http.post()
                .uri("/d/" + token)
                .body(BodyInserters.fromFormData("email", "someone@example.com"))
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains(words, reason));
    }

    @Test
    void aTokenThatIsNotATokenIsInvalidWithoutAskingTokenService() {
        int before = tokenService.requests().size();

        http.post()
                .uri("/api/v1/downloads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", "not a token"))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("invalid_token");

        assertThat(tokenService.requests()).hasSize(before);
    }

    @Test
    void aMissingTokenIsAValidationFailure() {
        http.post()
                .uri("/api/v1/downloads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("platform", "linux"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void whenTokenServiceDoesNotAnswerTheClientIsToldToRetry() {
        String token = newToken();
        tokenService.ignores(token);

        http.post()
                .uri("/api/v1/downloads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", token))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "5")
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("token_service_unavailable");

        http.post()
                .uri("/d/" + token)
                .body(BodyInserters.fromFormData("platform", ""))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "5")
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("your link was not used"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> tokenService.requestsFor(token).size() == 2);
    }

    @Test
    void oneAddressHammeringTheLinkEndpointsIsRateLimited() {
        for (int i = 0; i < 8; i++) {
            http.get().uri("/d/" + newToken()).exchange().expectStatus().isNotFound();
        }

        EntityExchangeResult<String> limited = http.get()
                .uri("/d/" + newToken())
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectBody(String.class)
                .returnResult();
        assertThat(limited.getResponseBody()).contains("Too many requests", "rate_limited");
        assertThat(limited.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                .isNotNull()
                .satisfies(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        assertSecurityHeaders(limited.getResponseHeaders());
        http.method(HttpMethod.HEAD)
                .uri("/d/" + newToken())
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        // Looking at links drew on the page-view bucket only: this address still has all its redeems.
        for (int i = 0; i < 8; i++) {
            http.post()
                    .uri("/api/v1/downloads")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("download_token", newToken()))
                    .exchange()
                    .expectStatus()
                    .isUnauthorized();
        }
        http.post()
                .uri("/api/v1/downloads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", newToken()))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("rate_limited");
        http.post()
                .uri("/d/" + newToken())
                .body(BodyInserters.fromFormData("platform", ""))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("Too many requests"));

        http.get()
                .uri("/d/" + newToken())
                .header("X-Forwarded-For", "192.0.2.77")
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/downloads;x", "/api/v1/%64ownloads", "/api;x/v1/downloads"})
    void pathParametersAndEncodingsDrawOnTheRouteBucket(String redeemPath) {
        URI uri = URI.create("http://localhost:" + port + redeemPath);
        for (int i = 0; i < 8; i++) {
            http.post()
                    .uri(uri)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("download_token", newToken()))
                    .exchange()
                    .expectStatus()
                    .isUnauthorized();
        }
        http.post()
                .uri(uri)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", newToken()))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        // The same bucket as the plain path: the route, not its spelling, decides.
        http.post()
                .uri("/api/v1/downloads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", newToken()))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/d;x/", "/%64/"})
    void landingAndRedeemSpelledOtherwiseAreLimitedToo(String prefix) {
        for (int i = 0; i < 8; i++) {
            http.get()
                    .uri(URI.create("http://localhost:" + port + prefix + newToken()))
                    .exchange()
                    .expectStatus()
                    .value(status -> assertThat(status).isNotEqualTo(429));
        }
        http.get()
                .uri(URI.create("http://localhost:" + port + prefix + newToken()))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        for (int i = 0; i < 8; i++) {
            http.post()
                    .uri(URI.create("http://localhost:" + port + prefix + newToken()))
                    .body(BodyInserters.fromFormData("platform", ""))
                    .exchange()
                    .expectStatus()
                    .value(status -> assertThat(status).isNotEqualTo(429));
        }
        http.post()
                .uri(URI.create("http://localhost:" + port + prefix + newToken()))
                .body(BodyInserters.fromFormData("platform", ""))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }
}
