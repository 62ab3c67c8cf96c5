package io.drawbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * token-service grants a lease but its answer reaches the gateway only after the gateway stopped waiting (a busy
 * moment): the customer gets a 503 to try again, and the gateway ends that lease by the name it gave it, so that it
 * does not hold the bytes unsent and refuse the customer's next try as "in use" until it expires.
 */
class AbandonedLeaseIT extends GatewayIntegrationSupport {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @DynamicPropertySource
    static void impatientWithTokenService(DynamicPropertyRegistry registry) {
        registry.add("drawbridge.gateway.token-service.timeout", () -> "1s");
    }

    @Test
    void aLeaseWhoseAnswerCameTooLateIsEndedByTheGatewayWithNothingSent() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.tool));
        FakeTokenService.answerLeasesLate(grant.grantId(), Duration.ofMillis(2500));

        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + grant.path()))
                        .timeout(Duration.ofSeconds(30))
                        .header("X-Forwarded-For", clientIp)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("token_service_unavailable");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(FakeTokenService.leasesOf(grant.grantId()))
                        .singleElement()
                        .satisfies(lease ->
                                assertThat(lease.endings()).containsExactly(new FakeTokenService.Ending(0, false))));
    }
}
