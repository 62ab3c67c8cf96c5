package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.ProductBranding;
import io.drawbridge.events.ProductBrandingChanged;
import io.drawbridge.events.TokenIssued;
import io.drawbridge.token.issue.domain.TokenSecret;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** The admin API over HTTP, with the platform's bearer auth and problem details. */
class TokenAdminApiIT extends TokenServiceTestBase {

    @Test
    void issuesALinkWithConfiguredDefaultsAndStoresOnlyItsHash() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);

        Map<String, Object> issued = issue(Map.of("customer_email", "new@example.com", "product", sku));

        String token = (String) issued.get("token");
        assertThat(token).matches("dl_[A-Za-z0-9_-]{43}");
        assertThat(issued)
                .containsEntry("link", "https://downloads.example.test/d/" + token)
                .containsEntry("max_downloads", 3)
                .containsKeys("token_id", "expires_at");
        assertThat(Instant.parse((String) issued.get("expires_at")))
                .isCloseTo(Instant.now().plus(Duration.ofHours(24)), within(1, ChronoUnit.MINUTES));
        UUID tokenId = id(issued, "token_id");
        assertThat(db.sql("SELECT token_hash FROM token WHERE id = :id")
                        .bind("id", tokenId)
                        .map(row -> row.get(0, String.class))
                        .one()
                        .block())
                .isEqualTo(TokenSecret.hashOf(token));
        await().atMost(KAFKA).until(() -> !collected.eventsOf(tokenId).isEmpty());
        assertThat(collected.eventsOf(tokenId)).singleElement().isInstanceOfSatisfying(TokenIssued.class, event -> {
            assertThat(event.customerEmail()).isEqualTo("new@example.com");
            assertThat(event.productSku()).isEqualTo(sku);
            assertThat(event.maxDownloads()).isEqualTo(3);
            assertThat(event.toString()).doesNotContain(token);
        });
    }

    @Test
    void refusesMalformedAndUnknownRequestsWithProblems() {
        String sku = unique("sku");
        UUID fileId = productWithOneFile(sku, 10);

        problem(
                Map.of("customer_email", "a@example.com", "product", sku, "files", List.of(fileId)),
                400,
                "validation_failed");
        problem(Map.of("customer_email", "a@example.com"), 400, "validation_failed");
        problem(Map.of("customer_email", "not-an-email", "product", sku), 400, "validation_failed");
        problem(
                Map.of("customer_email", "a@example.com", "product", sku, "platform", "amiga"),
                400,
                "validation_failed");
        problem(
                Map.of("customer_email", "a@example.com", "product", sku, "max_downloads", 0),
                400,
                "validation_failed");
        problem(Map.of("customer_email", "a@example.com", "product", unique("nope")), 422, "unknown_product");
        problem(Map.of("customer_email", "a@example.com", "files", List.of(UUID.randomUUID())), 422, "unknown_file");
        web.post()
                .uri("/api/v1/tokens")
                .bodyValue(Map.of("customer_email", "a@example.com", "product", sku))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void batchIssuesNumberedOrdersAsJson() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        String prefix = unique("conf");

        Map<String, Object> batch = admin().post()
                .uri("/api/v1/tokens/batch")
                .bodyValue(Map.of(
                        "count", 3, "order_prefix", prefix, "customer_email", "seller@example.com", "product", sku))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();

        assertThat(batch).containsEntry("count", 3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tokens = (List<Map<String, Object>>) batch.get("tokens");
        assertThat(tokens)
                .extracting(token -> token.get("order_id"))
                .containsExactly(prefix + "-0001", prefix + "-0002", prefix + "-0003");
        assertThat(tokens).allSatisfy(token -> assertThat((String) token.get("link"))
                .startsWith("https://downloads.example.test/d/dl_"));
    }

    @Test
    void batchAnswersCsvForMailMerge() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        String prefix = unique("csv");

        String csv = admin().post()
                .uri("/api/v1/tokens/batch")
                .accept(MediaType.parseMediaType("text/csv"))
                .bodyValue(Map.of(
                        "count", 2, "order_prefix", prefix, "customer_email", "seller@example.com", "product", sku))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("order_id,email,link,expires_at");
        assertThat(lines.get(1)).startsWith(prefix + "-0001,seller@example.com,https://downloads.example.test/d/dl_");
    }

    @Test
    void batchIsAllOrNothing() {
        String prefix = unique("none");

        admin().post()
                .uri("/api/v1/tokens/batch")
                .bodyValue(Map.of(
                        "count",
                        5,
                        "order_prefix",
                        prefix,
                        "customer_email",
                        "seller@example.com",
                        "product",
                        unique("missing")))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);

        assertThat(count("SELECT count(*) FROM token WHERE order_id LIKE :id", prefix + "%"))
                .isZero();
    }

    @Test
    void listsTokensByEmailOrderAndStatus() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        String email = unique("find") + "@Example.com";
        String order = unique("order");
        issue(Map.of("customer_email", email, "product", sku, "order_id", order));
        Map<String, Object> second = issue(Map.of("customer_email", email, "product", sku));
        admin().post()
                .uri("/api/v1/tokens/{id}/revoke", second.get("token_id"))
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(list("email=" + email.toLowerCase())).containsEntry("total", 2);
        assertThat(list("order_id=" + order)).containsEntry("total", 1);
        Map<String, Object> revoked = list("email=" + email + "&status=revoked");
        assertThat(revoked).containsEntry("total", 1);
        assertThat(list("email=" + email + "&status=active")).containsEntry("total", 1);
        assertThat(list("email=" + email + "&page=0&size=1"))
                .containsEntry("total", 2)
                .extractingByKey("items")
                .asInstanceOf(InstanceOfAssertFactories.LIST)
                .hasSize(1);
        admin().get()
                .uri("/api/v1/tokens?status=bogus")
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void tokenViewShowsUsesGrantsAndHistory() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        Map<String, Object> issued = issue(Map.of("customer_email", "v@example.com", "product", sku, "note", "vip"));
        granted(redeem((String) issued.get("token"), "ua"));

        Map<String, Object> view = tokenView(issued.get("token_id"));

        assertThat(view)
                .containsEntry("status", "active")
                .containsEntry("note", "vip")
                .containsEntry("uses", Map.of("max", 3, "consumed", 0, "reserved", 1, "remaining", 2))
                .doesNotContainKey("token");
        assertThat(view.get("grants"))
                .asInstanceOf(InstanceOfAssertFactories.LIST)
                .singleElement()
                .satisfies(
                        grant -> assertThat(((Map<?, ?>) grant).get("status")).isEqualTo("active"));
        assertThat(view.get("history"))
                .asInstanceOf(InstanceOfAssertFactories.LIST)
                .extracting(entry -> (Object) ((Map<?, ?>) entry).get("kind"))
                .containsExactly((Object) "issued", "granted");
        admin().get()
                .uri("/api/v1/tokens/{id}", UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("token_not_found");
    }

    @Test
    void landingPagePreviewByHashNeverUsesALink() {
        String sku = unique("sku");
        productWithOneFile(sku, 42);
        Map<String, Object> issued =
                issue(Map.of("customer_email", "l@example.com", "product", sku, "require_email", true));
        String hash = TokenSecret.hashOf((String) issued.get("token"));

        service()
                .get()
                .uri("/internal/v1/tokens/by-hash/{hash}", hash)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.token_id")
                .isEqualTo(issued.get("token_id"))
                .jsonPath("$.status")
                .isEqualTo("active")
                .jsonPath("$.downloads_remaining")
                .isEqualTo(3)
                .jsonPath("$.email_required")
                .isEqualTo(true)
                .jsonPath("$.product_name")
                .isEqualTo("Product " + sku)
                .jsonPath("$.items[0].size")
                .isEqualTo(42)
                .jsonPath("$.branding")
                .doesNotExist();
        service()
                .get()
                .uri("/internal/v1/tokens/by-hash/{hash}", "0".repeat(64))
                .exchange()
                .expectStatus()
                .isNotFound();
        assertThat(uses(id(issued, "token_id"))).containsExactly(0, 0);
    }

    @Test
    void theLandingPageViewCarriesTheProductsNewestBranding() {
        String sku = unique("sku");
        UUID fileId = productWithOneFile(sku, 42);
        Instant changed = Instant.now();
        publisher
                .publish(new ProductBrandingChanged(
                        sku, new ProductBranding("Newest Name", null, "#0b5394", "help@example.com"), changed))
                .block(KAFKA);
        // A late redelivery of an older change must not undo the newer one.
        publisher
                .publish(new ProductBrandingChanged(
                        sku, new ProductBranding("Old Name", null, null, null), changed.minusSeconds(60)))
                .block(KAFKA);
        // Same topic and key, so once this release is in the catalog both branding events were applied.
        publishRelease(sku, "2.0.0", Map.of("any", List.of(fileId)));
        String hash = TokenSecret.hashOf((String)
                issue(Map.of("customer_email", "b@example.com", "product", sku)).get("token"));

        service()
                .get()
                .uri("/internal/v1/tokens/by-hash/{hash}", hash)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.branding.displayName")
                .isEqualTo("Newest Name")
                .jsonPath("$.branding.accentColour")
                .isEqualTo("#0b5394")
                .jsonPath("$.branding.supportEmail")
                .isEqualTo("help@example.com")
                .jsonPath("$.branding.logoUrl")
                .doesNotExist();
    }

    private Map<String, Object> list(String query) {
        return admin().get()
                .uri("/api/v1/tokens?" + query)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    private void problem(Map<String, Object> body, int status, String error) {
        admin().post()
                .uri("/api/v1/tokens")
                .bodyValue(new HashMap<>(body))
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo(error);
    }
}
