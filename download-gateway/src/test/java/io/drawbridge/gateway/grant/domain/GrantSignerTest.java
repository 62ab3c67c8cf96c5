package io.drawbridge.gateway.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GrantSignerTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";
    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private final UUID grantId = UUID.randomUUID();

    @Test
    void aGrantItSignedVerifiesUntilItExpires() {
        GrantSigner signer = new GrantSigner(SECRET, false, CLOCK);
        String grant = signer.sign(grantId, NOW.plusSeconds(600), "10.0.0.1");

        GrantSigner.Verification verification = signer.verify(grant, "10.0.0.2");

        assertThat(verification.status()).isEqualTo(GrantSigner.Status.VALID);
        assertThat(verification.grantId()).contains(grantId);
        assertThat(verification.expiresAt()).isEqualTo(NOW.plusSeconds(600));
        assertThat(new GrantSigner(SECRET, false, Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC))
                        .verify(grant, "10.0.0.1")
                        .status())
                .isEqualTo(GrantSigner.Status.EXPIRED);
    }

    @Test
    void anyChangedCharacterIsRefused() {
        GrantSigner signer = new GrantSigner(SECRET, false, CLOCK);
        String grant = signer.sign(grantId, NOW.plusSeconds(600), "10.0.0.1");
        String[] parts = grant.split("\\.");

        String otherGrant = UUID.randomUUID() + "." + parts[1] + "." + parts[2];
        String laterExpiry = parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2];
        char last = parts[2].charAt(parts[2].length() - 1);
        String flippedSig = grant.substring(0, grant.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(signer.verify(otherGrant, "10.0.0.1").status()).isEqualTo(GrantSigner.Status.INVALID);
        assertThat(signer.verify(laterExpiry, "10.0.0.1").status()).isEqualTo(GrantSigner.Status.INVALID);
        assertThat(signer.verify(flippedSig, "10.0.0.1").status()).isEqualTo(GrantSigner.Status.INVALID);
        assertThat(signer.verify("garbage", "10.0.0.1").status()).isEqualTo(GrantSigner.Status.INVALID);
        assertThat(signer.verify(grant + "x", "10.0.0.1").status()).isEqualTo(GrantSigner.Status.INVALID);
    }

    @Test
    void aGrantSignedWithAnotherSecretIsRefused() {
        String grant = new GrantSigner("another-secret-that-is-long-enough-987654321", false, CLOCK)
                .sign(grantId, NOW.plusSeconds(600), "10.0.0.1");

        assertThat(new GrantSigner(SECRET, false, CLOCK)
                        .verify(grant, "10.0.0.1")
                        .status())
                .isEqualTo(GrantSigner.Status.INVALID);
    }

    @Test
    void withIpBindingOnlyTheRedeemingAddressMayUseTheGrant() {
        GrantSigner signer = new GrantSigner(SECRET, true, CLOCK);
        String grant = signer.sign(grantId, NOW.plusSeconds(600), "10.0.0.1");

        assertThat(signer.verify(grant, "10.0.0.1").status()).isEqualTo(GrantSigner.Status.VALID);
        assertThat(signer.verify(grant, "10.0.0.2").status()).isEqualTo(GrantSigner.Status.INVALID);
    }
}
