package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.events.DownloadDenied;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Extending a link's expiry and adding uses, through the admin API, seen by the next redemption. */
class LinkAmendmentIT extends TokenServiceTestBase {

    @Test
    void addedUsesMakeAUsedUpLinkRedeemableAgain() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        Map<String, Object> issued =
                issue(Map.of("customer_email", "u@example.com", "product", sku, "max_downloads", 1));
        String token = (String) issued.get("token");
        // Each redeem from another client (the same client would get its live grant again).
        granted(redeemFrom(token, 1));
        assertThat(redeemFrom(token, 2))
                .isInstanceOfSatisfying(DownloadDenied.class, denied -> assertThat(denied.reason())
                        .isEqualTo("usage_limit_exceeded"));

        Map<String, Object> view = amend(issued.get("token_id"), "add-uses", Map.of("uses", 2));

        assertThat(view.get("uses")).isEqualTo(Map.of("max", 3, "consumed", 0, "reserved", 1, "remaining", 2));
        assertThat(view.get("history"))
                .asInstanceOf(InstanceOfAssertFactories.LIST)
                .extracting(entry -> (Object) ((Map<?, ?>) entry).get("kind"))
                .contains("uses_added");
        granted(redeemFrom(token, 3));
        granted(redeemFrom(token, 4));
        assertThat(redeemFrom(token, 5)).isInstanceOf(DownloadDenied.class);
    }

    private io.drawbridge.events.Event redeemFrom(String token, int client) {
        return redeem(request(token, "203.0.113." + client, "client-" + client, null, null));
    }

    @Test
    void extendingAnExpiredLinkCountsFromNowAndReopensIt() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        Map<String, Object> issued =
                issue(Map.of("customer_email", "x@example.com", "product", sku, "expires_in_hours", 1));
        String token = (String) issued.get("token");
        clock.advance(Duration.ofHours(2));
        assertThat(redeem(token, "ua"))
                .isInstanceOfSatisfying(DownloadDenied.class, denied -> assertThat(denied.reason())
                        .isEqualTo("token_expired"));

        Map<String, Object> view = amend(issued.get("token_id"), "extend", Map.of("hours", 24));

        assertThat(Instant.parse((String) view.get("expires_at")))
                .isCloseTo(
                        clock.instant().plus(Duration.ofHours(24)),
                        org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
        assertThat(view).containsEntry("status", "active");
        granted(redeem(token, "ua"));
    }

    @Test
    void extendingALiveLinkCountsFromItsExpiry() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        Map<String, Object> issued =
                issue(Map.of("customer_email", "l@example.com", "product", sku, "expires_in_hours", 10));
        Instant before = Instant.parse((String) issued.get("expires_at"));

        Map<String, Object> view = amend(issued.get("token_id"), "extend", Map.of("hours", 5));

        assertThat(Instant.parse((String) view.get("expires_at"))).isEqualTo(before.plus(Duration.ofHours(5)));
    }

    @Test
    void aRevokedLinkIsNeitherExtendedNorGivenUses() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        Map<String, Object> issued = issue(Map.of("customer_email", "r@example.com", "product", sku));
        UUID tokenId = id(issued, "token_id");
        admin().post()
                .uri("/api/v1/tokens/{id}/revoke", tokenId)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isOk();

        refused(tokenId, "extend", Map.of("hours", 5), 409, "token_revoked");
        refused(tokenId, "add-uses", Map.of("uses", 1), 409, "token_revoked");
        assertThat(uses(tokenId)).containsExactly(0, 0);
    }

    @Test
    void refusesAmendmentsBeyondTheLimitsAndUnknownLinks() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        Map<String, Object> issued = issue(Map.of("customer_email", "c@example.com", "product", sku));
        UUID tokenId = id(issued, "token_id");

        refused(tokenId, "add-uses", Map.of("uses", 1000), 400, "validation_failed");
        refused(tokenId, "add-uses", Map.of("uses", 0), 400, "validation_failed");
        refused(tokenId, "extend", Map.of("hours", 0), 400, "validation_failed");
        refused(tokenId, "extend", Map.of(), 400, "validation_failed");
        refused(UUID.randomUUID(), "add-uses", Map.of("uses", 1), 404, "token_not_found");
        assertThat(tokenView(tokenId).get("uses"))
                .asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("max", 3);
    }

    private Map<String, Object> amend(Object tokenId, String action, Map<String, Object> body) {
        return admin().post()
                .uri("/api/v1/tokens/{id}/" + action, tokenId)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    private void refused(UUID tokenId, String action, Map<String, Object> body, int status, String error) {
        admin().post()
                .uri("/api/v1/tokens/{id}/" + action, tokenId)
                .bodyValue(body)
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
