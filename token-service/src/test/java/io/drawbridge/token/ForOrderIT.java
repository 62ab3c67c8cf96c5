package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The storefront's success page: {@code POST /api/v1/tokens/for-order}. Provider {@code shop-claims} has a one-hour
 * claim window in the tests; {@code stripe} none.
 */
class ForOrderIT extends OrderTestBase {

    @Test
    void aClaimWithinTheWindowGetsTheLinksWhichAreAlsoEmailedAndNeverASecondSet() {
        TestOrder order = order("shop-claims", product());
        publish(order.event("paid", "pending"));
        await().atMost(KAFKA).until(() -> "pending".equals(lineState(order, "li_1")));
        assertThat(tokensOf(order)).isZero();

        Map<String, Object> claimed = forOrder(order, order.email().toUpperCase(), "windows")
                .expectStatus()
                .isCreated()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();

        List<Map<String, Object>> links = (List<Map<String, Object>>) claimed.get("links");
        assertThat(links).singleElement().satisfies(link -> assertThat(link)
                .containsEntry("order_line_id", "li_1")
                .containsEntry("issued_now", true)
                .containsEntry("max_downloads", 3)
                .containsKeys("token", "link", "expires_at", "token_id"));
        String token = (String) links.get(0).get("token");
        MimeMessage mail = awaitEmail(order.email());
        assertThat(tokens(mail)).containsExactly(token);
        assertThat(tokenView(links.get(0).get("token_id"))).containsEntry("platform", "windows");
        assertRedeems(token);

        Map<String, Object> again = forOrder(order, order.email(), null)
                .expectStatus()
                .isEqualTo(status(409))
                .expectHeader()
                .contentType("application/problem+json")
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        assertThat(again)
                .containsEntry("error", "already_issued")
                .containsEntry("type", "https://drawbridge.dev/problems/already_issued");
        assertThat((List<Map<String, Object>>) again.get("links"))
                .singleElement()
                .satisfies(link -> assertThat(link)
                        .containsEntry("token_id", links.get(0).get("token_id"))
                        .containsEntry("issued_now", false)
                        .doesNotContainKeys("token", "link"));
        assertThat(again.toString()).doesNotContain(token);

        clock.advance(Duration.ofHours(2));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(10))
                .until(() -> tokensOf(order) == 1 && TestSmtp.to(order.email()).size() == 1);
    }

    @Test
    void unclaimedLinksAreIssuedAndEmailedWhenTheWindowEnds() {
        TestOrder order = order("shop-claims", product(), product());
        publish(order.event("paid", "pending"));
        await().atMost(KAFKA).until(() -> "pending".equals(lineState(order, "li_2")));

        clock.advance(Duration.ofMinutes(61));

        MimeMessage mail = awaitEmail(order.email());
        assertThat(tokens(mail)).hasSize(2);
        assertThat(tokensOf(order)).isEqualTo(2);
        forOrder(order, order.email(), null)
                .expectStatus()
                .isEqualTo(status(409))
                .expectBody(JSON)
                .value(problem -> assertThat(problem).containsEntry("error", "already_issued"));
    }

    @Test
    void anOrderPaidWithoutAClaimWindowIsAlreadyIssuedByThePaidEvent() {
        TestOrder order = order("stripe", product());
        publish(order.event("paid", "pending"));
        awaitEmail(order.email());

        forOrder(order, order.email(), null)
                .expectStatus()
                .isEqualTo(status(409))
                .expectBody(JSON)
                .value(problem -> assertThat(problem)
                        .containsEntry("error", "already_issued")
                        .containsEntry("order_id", order.orderId()));
    }

    @Test
    void aClaimNeedsThePurchaseEmailAPaidOrderAndOneNotRevoked() {
        TestOrder order = order("shop-claims", product());

        forOrder(order, order.email(), null)
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "2")
                .expectBody(JSON)
                .value(problem -> assertThat(problem).containsEntry("error", "order_not_found"));

        publish(order.event("pending", null));
        awaitOrderStatus(order, "pending");
        forOrder(order, order.email(), null)
                .expectStatus()
                .isEqualTo(status(409))
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "2")
                .expectBody(JSON)
                .value(problem -> assertThat(problem).containsEntry("error", "order_not_paid"));

        publish(order.event("paid", "pending"));
        awaitOrderStatus(order, "paid");
        forOrder(order, "someone.else@example.com", null)
                .expectStatus()
                .isForbidden()
                .expectBody(JSON)
                .value(problem -> assertThat(problem).containsEntry("error", "email_mismatch"));
        forOrder(order, order.email(), "beos")
                .expectStatus()
                .isBadRequest()
                .expectBody(JSON)
                .value(problem -> assertThat(problem).containsEntry("error", "validation_failed"));

        publish(order.event("refunded", "paid"));
        awaitOrderStatus(order, "refunded");
        forOrder(order, order.email(), null)
                .expectStatus()
                .isEqualTo(status(409))
                .expectBody(JSON)
                .value(problem -> assertThat(problem).containsEntry("error", "order_revoked"));
        assertThat(tokensOf(order)).isZero();
    }

    @Test
    void aClaimNeedsTheAdminToken() {
        web.post()
                .uri("/api/v1/tokens/for-order")
                .bodyValue(Map.of("provider", "stripe", "external_id", "x", "customer_email", "a@example.com"))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    WebTestClient.ResponseSpec forOrder(TestOrder order, String email, String platform) {
        Map<String, Object> body = platform == null
                ? Map.of("provider", order.provider(), "external_id", order.externalId(), "customer_email", email)
                : Map.of(
                        "provider",
                        order.provider(),
                        "external_id",
                        order.externalId(),
                        "customer_email",
                        email,
                        "platform",
                        platform);
        return admin().post().uri("/api/v1/tokens/for-order").bodyValue(body).exchange();
    }
}
