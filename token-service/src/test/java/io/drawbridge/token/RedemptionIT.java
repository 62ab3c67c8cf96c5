package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.Event;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RedemptionIT extends TokenServiceTestBase {

    @Autowired
    MeterRegistry meters;

    @Test
    void issuedLinkIsRedeemedOverKafkaIntoAGrant() {
        String sku = unique("sku");
        UUID fileId = productWithOneFile(sku, 1000);
        Map<String, Object> issued = issue(Map.of("customer_email", "buyer@example.com", "product", sku));
        String token = (String) issued.get("token");

        DownloadGranted grant = granted(redeem(token, "browser-1"));

        assertThat(grant.tokenId()).isEqualTo(id(issued, "token_id"));
        assertThat(grant.items()).singleElement().satisfies(item -> {
            assertThat(item.fileId()).isEqualTo(fileId);
            assertThat(item.size()).isEqualTo(1000);
            assertThat(item.objectKey()).isEqualTo("files/" + fileId);
        });
        assertThat(grant.downloadsRemaining()).isEqualTo(2);
        assertThat(grant.reused()).isFalse();
        assertThat(grant.archiveName()).isNull();
        assertThat(grant.expiresAt())
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(55)),
                        Instant.now().plus(Duration.ofMinutes(65)));
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);
    }

    @Test
    void sameClientGetsItsLiveGrantAgainWithoutAnotherUse() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        String token = (String)
                issue(Map.of("customer_email", "b@example.com", "product", sku)).get("token");

        DownloadGranted first = granted(redeem(token, "browser-1"));
        DownloadGranted again = granted(redeem(token, "browser-1"));
        DownloadGranted other = granted(redeem(token, "browser-2"));

        assertThat(again.grantId()).isEqualTo(first.grantId());
        assertThat(again.reused()).isTrue();
        assertThat(other.grantId()).isNotEqualTo(first.grantId());
        assertThat(uses(first.tokenId())).containsExactly(0, 2);
    }

    @Test
    void unknownTokenIsDeniedAsInvalid() {
        Event reply = redeem("dl_" + "x".repeat(43), "browser");

        assertThat(reply).isInstanceOfSatisfying(DownloadDenied.class, denied -> {
            assertThat(denied.reason()).isEqualTo("invalid_token");
            assertThat(denied.tokenId()).isNull();
        });
    }

    @Test
    void aRequestTheGatewayStoppedWaitingForIsDroppedWithoutTakingAUse() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        String token = (String) issue(Map.of("customer_email", "late@example.com", "product", sku))
                .get("token");
        double abandoned = meters.counter("drawbridge.redemptions", "outcome", "abandoned", "reason", "none")
                .count();
        DownloadRequested fresh = request(token, "203.0.113.7", "browser-1", null, null);
        // The gateway answered 503 ten seconds ago: past its deadline and the clock allowance (1 s).
        DownloadRequested late = new DownloadRequested(
                UUID.randomUUID(),
                fresh.tokenHash(),
                null,
                null,
                "203.0.113.8",
                "browser-2",
                "it-gateway",
                clock.instant().minusSeconds(13),
                clock.instant().minusSeconds(10));

        publisher.publish(late).block(KAFKA);
        // Same token, same partition, after it: once this one is answered, the late one has been dealt with.
        DownloadGranted granted = granted(redeem(fresh));

        assertThat(collected.repliesTo(late.requestId())).isEmpty();
        assertThat(uses(granted.tokenId())).containsExactly(0, 1);
        assertThat(meters.counter("drawbridge.redemptions", "outcome", "abandoned", "reason", "none")
                        .count())
                .isEqualTo(abandoned + 1);
    }

    @Test
    void redemptionsAreCountedByOutcomeAndReasonAndTimed() {
        double before = meters.counter("drawbridge.redemptions", "outcome", "denied", "reason", "invalid_token")
                .count();
        long timed = meters.timer("drawbridge.redemption.processing", "outcome", "denied")
                .count();

        redeem("dl_" + "y".repeat(43), "browser");

        await().atMost(KAFKA).untilAsserted(() -> {
            assertThat(meters.counter("drawbridge.redemptions", "outcome", "denied", "reason", "invalid_token")
                            .count())
                    .isEqualTo(before + 1);
            assertThat(meters.timer("drawbridge.redemption.processing", "outcome", "denied")
                            .count())
                    .isEqualTo(timed + 1);
        });
    }

    @Test
    void malformedTokenHashIsDeniedAsInvalid() {
        var request = new io.drawbridge.events.DownloadRequested(
                UUID.randomUUID(), "not-a-hash", null, null, "203.0.113.1", "ua", "it-gateway", Instant.now(), null);

        assertThat(redeem(request)).isInstanceOfSatisfying(DownloadDenied.class, denied -> assertThat(denied.reason())
                .isEqualTo("invalid_token"));
    }
}
