package io.drawbridge.token.redeem.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.token.issue.domain.DownloadToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RedemptionPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void liveTokenPasses() {
        assertThat(RedemptionPolicy.check(token(null, NOW.plusSeconds(60), false), request(null), NOW))
                .isEmpty();
    }

    @Test
    void revocationIsReportedBeforeExpiry() {
        assertThat(RedemptionPolicy.check(token(NOW, NOW.minusSeconds(1), false), request(null), NOW))
                .get()
                .extracting(RedemptionPolicy.Denial::reason)
                .isEqualTo(DenialReason.TOKEN_REVOKED);
    }

    @Test
    void tokenExpiresAtItsExpiryInstant() {
        assertThat(RedemptionPolicy.check(token(null, NOW, false), request(null), NOW))
                .get()
                .extracting(RedemptionPolicy.Denial::reason)
                .isEqualTo(DenialReason.TOKEN_EXPIRED);
    }

    @Test
    void requiredEmailIsComparedIgnoringCaseAndBlanks() {
        DownloadToken token = token(null, NOW.plus(Duration.ofDays(1)), true);

        assertThat(RedemptionPolicy.check(token, request(" BUYER@example.COM "), NOW))
                .isEmpty();
        assertThat(RedemptionPolicy.check(token, request("other@example.com"), NOW))
                .get()
                .extracting(RedemptionPolicy.Denial::reason)
                .isEqualTo(DenialReason.EMAIL_MISMATCH);
        assertThat(RedemptionPolicy.check(token, request(null), NOW)).isPresent();
    }

    @Test
    void noUseLeftSaysWhy() {
        assertThat(RedemptionPolicy.noUseLeft(token(null, NOW.plusSeconds(5), false), NOW)
                        .reason())
                .isEqualTo(DenialReason.USAGE_LIMIT_EXCEEDED);
        assertThat(RedemptionPolicy.noUseLeft(token(NOW, NOW.plusSeconds(5), false), NOW)
                        .reason())
                .isEqualTo(DenialReason.TOKEN_REVOKED);
    }

    private static RedeemRequest request(String email) {
        return new RedeemRequest(UUID.randomUUID(), "h", null, email, "ip", "ua", "gw", NOW);
    }

    private static DownloadToken token(Instant revokedAt, Instant expiresAt, boolean requireEmail) {
        return new DownloadToken(
                UUID.randomUUID(),
                "h",
                "buyer@example.com",
                null,
                null,
                "sku",
                List.of(),
                null,
                requireEmail,
                null,
                1,
                0,
                0,
                0,
                NOW.minusSeconds(60),
                expiresAt,
                revokedAt,
                null,
                null);
    }
}
