package io.drawbridge.order.lookup;

import static io.drawbridge.order.support.StripeFixtures.event;
import static io.drawbridge.order.support.StripeFixtures.paidCheckoutSession;
import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.order.support.OrderSyncServiceTestSupport;
import io.drawbridge.order.support.StripeFixtures;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

class OrderLookupIT extends OrderSyncServiceTestSupport {

    @Test
    void theOrderApiNeedsTheAdminTokenAndTheWebhookDoesNot() {
        web.get().uri("/api/v1/orders").exchange().expectStatus().isUnauthorized();
        web.get()
                .uri("/api/v1/orders")
                .header("Authorization", "Bearer wrong")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("unauthorized");
        // No bearer token on the webhook: it is refused for its signature, not for authentication.
        web.post()
                .uri("/webhooks/stripe")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("missing_signature");
    }

    @Test
    void findsOrdersByEmailAndStatusAndShowsOneWithItsHistory() {
        String email = "Lookup-" + UUID.randomUUID() + "@Example.com";
        String paid = StripeFixtures.unique("pi_");
        String refunded = StripeFixtures.unique("pi_");
        deliver(event("checkout.session.completed", paidCheckoutSession(paid, email, "demo-app")))
                .expectStatus()
                .isOk();
        deliver(event("checkout.session.completed", paidCheckoutSession(refunded, email, "demo-app")))
                .expectStatus()
                .isOk();
        awaitPublished(paid, "paid");
        awaitPublished(refunded, "paid");
        deliver(event("charge.refunded", StripeFixtures.refundedCharge(refunded, true)))
                .expectStatus()
                .isOk();
        awaitPublished(refunded, "refunded");

        JsonNode all = get("/api/v1/orders?email=" + email.toLowerCase() + "&size=1&page=0");
        assertThat(all.get("total_items").asLong()).isEqualTo(2);
        assertThat(all.get("items")).hasSize(1);
        assertThat(all.get("size").asInt()).isEqualTo(1);

        JsonNode onlyRefunded = get("/api/v1/orders?email=" + email + "&status=refunded");
        assertThat(onlyRefunded.get("total_items").asLong()).isEqualTo(1);
        JsonNode order = onlyRefunded.get("items").get(0);
        assertThat(order.get("external_id").asString()).isEqualTo(refunded);
        assertThat(order.get("customer_email").asString()).isEqualTo(email);
        assertThat(order.get("amount_total").asLong()).isEqualTo(1900);
        assertThat(order.get("amount_refunded").asLong()).isEqualTo(100);
        assertThat(order.get("currency").asString()).isEqualTo("usd");
        assertThat(order.get("charge_id").asString()).startsWith("ch_");
        assertThat(order.has("history")).isFalse();

        JsonNode one = get("/api/v1/orders/" + order.get("id").asString());
        assertThat(one.get("status").asString()).isEqualTo("refunded");
        assertThat(one.get("lines").get(0).get("sku").asString()).isEqualTo("demo-app");
        assertThat(one.get("history")
                        .valueStream()
                        .map(h -> h.get("status").asString())
                        .toList())
                .containsExactly("paid", "refunded");
        assertThat(one.get("history").get(1).get("previous_status").asString()).isEqualTo("paid");
        assertThat(one.get("history").get(1).get("source").asString()).isEqualTo("stripe_webhook");
        assertThat(one.get("history").get(1).get("source_ref").asString()).startsWith("evt_");
    }

    @Test
    void unknownOrdersAndBadFiltersAreProblems() {
        web.get()
                .uri("/api/v1/orders/" + UUID.randomUUID())
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("order_not_found");
        web.get()
                .uri("/api/v1/orders/not-a-uuid")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isNotFound();
        web.get()
                .uri("/api/v1/orders?status=shipped")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("validation_failed");
        web.get()
                .uri("/api/v1/orders?size=1000")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void theOpenApiDescriptionListsTheEndpoints() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
        byte[] body = web.get()
                .uri("/v3/api-docs")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode paths = StripeFixtures.JSON.readTree(body).get("paths");
        assertThat(paths.has("/api/v1/orders")).isTrue();
        assertThat(paths.has("/api/v1/orders/{id}")).isTrue();
        assertThat(paths.has("/webhooks/stripe")).isTrue();
    }

    private JsonNode get(String uri) {
        byte[] body = web.get()
                .uri(uri)
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return StripeFixtures.JSON.readTree(body);
    }
}
