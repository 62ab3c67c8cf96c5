package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.Event;
import io.drawbridge.events.TokenRevoked;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The checks of a download request, each over real Kafka: expiry, revocation, email, platform, usage limit. */
class RedemptionRulesIT extends TokenServiceTestBase {

    @Test
    void expiredLinkIsDenied() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        Map<String, Object> issued =
                issue(Map.of("customer_email", "late@example.com", "product", sku, "expires_in_hours", 1));

        clock.advance(Duration.ofMinutes(61));

        assertDenied(redeem((String) issued.get("token"), "ua"), "token_expired");
        assertThat(tokenView(issued.get("token_id"))).containsEntry("status", "expired");
    }

    @Test
    void revokedLinkIsDeniedAndItsLiveGrantRevoked() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        Map<String, Object> issued = issue(Map.of("customer_email", "refund@example.com", "product", sku));
        String token = (String) issued.get("token");
        DownloadGranted grant = granted(redeem(token, "ua"));

        Map<String, Object> revoked = admin().post()
                .uri("/api/v1/tokens/{id}/revoke", issued.get("token_id"))
                .bodyValue(Map.of("reason", "refunded"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();

        assertThat(revoked).containsEntry("status", "revoked").containsEntry("revoke_reason", "refunded");
        assertThat(grantStatus(grant.grantId())).isEqualTo("revoked");
        assertThat(uses(grant.tokenId())).containsExactly(0, 0);
        assertDenied(redeem(token, "ua"), "token_revoked");
        service()
                .get()
                .uri("/internal/v1/grants/{id}", grant.grantId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("revoked");
        org.awaitility.Awaitility.await().atMost(KAFKA).until(() -> collected.eventsOf(grant.tokenId()).stream()
                .anyMatch(TokenRevoked.class::isInstance));
    }

    @Test
    void revokingTwiceAnnouncesOnce() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        UUID tokenId = id(issue(Map.of("customer_email", "twice@example.com", "product", sku)), "token_id");

        for (int i = 0; i < 2; i++) {
            admin().post()
                    .uri("/api/v1/tokens/{id}/revoke", tokenId)
                    .exchange()
                    .expectStatus()
                    .isOk();
        }

        assertThat(count(
                        "SELECT count(*) FROM outbox WHERE event_type = 'TokenRevoked' AND message_key = :id",
                        tokenId.toString()))
                .isEqualTo(1);
    }

    @Test
    void requiredEmailMustMatchIgnoringCase() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        String token =
                (String) issue(Map.of("customer_email", "Buyer@Example.com", "product", sku, "require_email", true))
                        .get("token");

        assertDenied(redeem(request(token, "203.0.113.9", "ua", null, "someone@else.com")), "email_mismatch");
        assertDenied(redeem(request(token, "203.0.113.9", "ua", null, null)), "email_mismatch");
        granted(redeem(request(token, "203.0.113.9", "ua", null, "  buyer@EXAMPLE.com ")));
    }

    @Test
    void requestedPlatformGetsItsBuildOrIsDeniedWhenThereIsNone() {
        String sku = unique("sku");
        UUID windows = storeFile("app-setup.exe", 100);
        UUID macos = storeFile("app.dmg", 200);
        publishRelease(sku, "2.0.0", Map.of("windows", List.of(windows), "macos", List.of(macos)));
        String token = (String) issue(Map.of("customer_email", "p@example.com", "product", sku, "max_downloads", 5))
                .get("token");

        DownloadGranted mac = granted(redeem(request(token, "203.0.113.1", "mac", "macos", null)));
        assertThat(mac.items()).singleElement().satisfies(item -> {
            assertThat(item.fileId()).isEqualTo(macos);
            assertThat(item.platform()).isEqualTo("macos");
        });
        assertDenied(redeem(request(token, "203.0.113.1", "linux", "linux", null)), "file_not_found");
        assertDenied(redeem(request(token, "203.0.113.1", "beos", "beos", null)), "file_not_found");

        DownloadGranted all = granted(redeem(request(token, "203.0.113.1", "any", null, null)));
        assertThat(all.items()).extracting(item -> item.fileId()).containsExactly(windows, macos);
        assertThat(all.archiveName()).isEqualTo("Product-" + sku + "-2.0.0.zip");
    }

    @Test
    void usageLimitDeniesTheRequestAfterTheLastUse() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        String token = (String) issue(Map.of("customer_email", "u@example.com", "product", sku, "max_downloads", 2))
                .get("token");

        DownloadGranted first = granted(redeem(token, "client-1"));
        DownloadGranted second = granted(redeem(token, "client-2"));
        Event third = redeem(token, "client-3");

        assertThat(first.downloadsRemaining()).isEqualTo(1);
        assertThat(second.downloadsRemaining()).isZero();
        assertDenied(third, "usage_limit_exceeded");
        assertThat(((DownloadDenied) third).tokenId()).isEqualTo(first.tokenId());
    }

    @Test
    void linkForFilesDeliversThemTogether() {
        UUID a = storeFile("a.pdf", 11);
        UUID b = storeFile("b.pdf", 22);
        String token = (String) issue(Map.of("customer_email", "f@example.com", "files", List.of(a, b)))
                .get("token");

        DownloadGranted grant = granted(redeem(token, "ua"));

        assertThat(grant.items()).extracting(item -> item.fileId()).containsExactly(a, b);
        assertThat(grant.archiveName()).isEqualTo("download.zip");
    }

    private static void assertDenied(Event reply, String reason) {
        assertThat(reply).isInstanceOfSatisfying(DownloadDenied.class, denied -> assertThat(denied.reason())
                .isEqualTo(reason));
    }
}
