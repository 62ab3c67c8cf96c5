package io.drawbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.events.DownloadRequested;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

/**
 * The client address comes from the connection unless the connection is a trusted proxy's ({@code
 * drawbridge.gateway.trusted-proxies} is 127.0.0.1 and ::1 here, and the contexts run as on Kubernetes, where Boot
 * would otherwise believe every forwarded header). Other loopback addresses (127.0.0.2, ...) stand for clients that
 * connect directly and send a forged {@code X-Forwarded-For}.
 */
class ForwardedClientIT extends GatewayIntegrationSupport {

    @Test
    void aClientOutsideTheTrustedRangesCannotChooseItsAddress() {
        String token = newToken();
        tokenService.grants(token, List.of(TestObjects.tool), 2);

        from("127.0.0.2")
                .post()
                .uri("/api/v1/downloads")
                .header("X-Forwarded-For", "203.0.113.9")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", token))
                .exchange()
                .expectStatus()
                .isOk();

        DownloadRequested request = tokenService.requestsFor(token).get(0);
        assertThat(request.clientIp()).isEqualTo("127.0.0.2");
    }

    @Test
    void behindTrustedProxiesTheClientIsTheRightMostAddressNoProxyOfOursWrote() {
        String token = newToken();
        tokenService.grants(token, List.of(TestObjects.tool), 2);

        // The client wrote 6.6.6.6 itself; the edge proxy appended the address it saw, the inner one (127.0.0.1,
        // trusted) its own peer.
        http.post()
                .uri("/api/v1/downloads")
                .header("X-Forwarded-For", "6.6.6.6, " + clientIp + ", 127.0.0.1")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("download_token", token))
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(tokenService.requestsFor(token).get(0).clientIp()).isEqualTo(clientIp);
    }

    @Test
    void aForgedForwardedHeaderDoesNotBuyAFreshRateLimitBucket() {
        WebTestClient direct = from("127.0.0.3");
        for (int i = 0; i < 8; i++) {
            direct.get()
                    .uri("/d/" + newToken())
                    .header("X-Forwarded-For", "198.18.0." + (i + 1))
                    .exchange()
                    .expectStatus()
                    .isNotFound();
        }
        direct.get()
                .uri("/d/" + newToken())
                .header("X-Forwarded-For", "198.18.0.99")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void customersBehindOneTrustedProxyHaveABucketEach() {
        for (int i = 0; i < 8; i++) {
            http.get().uri("/d/" + newToken()).exchange().expectStatus().isNotFound();
        }
        http.get().uri("/d/" + newToken()).exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        // Another customer through the same proxy (this test's connections all come from 127.0.0.1).
        http.get()
                .uri("/d/" + newToken())
                .header("X-Forwarded-For", "198.51.100.201")
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    /** A client that connects to the gateway from {@code localAddress} itself, with no proxy in between. */
    private WebTestClient from(String localAddress) {
        HttpClient client = HttpClient.create().bindAddress(() -> new InetSocketAddress(localAddress, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(client))
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }
}
