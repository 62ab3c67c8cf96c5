package io.drawbridge.order.stripe.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StripeSignatureVerifierTest {

    private static final String SECRET = "whsec_test_secret";
    private static final long T = 1_700_000_000L;
    private static final Instant NOW = Instant.ofEpochSecond(T + 30);
    private static final byte[] PAYLOAD = "{\"id\":\"evt_test\",\"object\":\"event\"}".getBytes(StandardCharsets.UTF_8);

    /** Computed independently: printf '%s' "1700000000.<payload>" | openssl dgst -sha256 -hmac whsec_test_secret. */
    private static final String OPENSSL_SIGNATURE = "8042376f6ca064adbe037642a718227dfd59047137eb49497a54c49eb0cfb724";

    private final StripeSignatureVerifier verifier =
            new StripeSignatureVerifier(List.of(SECRET), Duration.ofMinutes(5));

    @Test
    void signsLikeStripeDocumentsHmacSha256OfTimestampDotPayload() {
        assertThat(StripeSignatureVerifier.sign(SECRET, T, PAYLOAD)).isEqualTo(OPENSSL_SIGNATURE);
    }

    @Test
    void acceptsAValidV1Signature() {
        assertThatCode(() -> verifier.verify("t=" + T + ",v1=" + OPENSSL_SIGNATURE, PAYLOAD, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void acceptsWhenAnyOfSeveralV1SignaturesMatches() {
        String header = "t=" + T + ",v1=" + "0".repeat(64) + ",v1=" + OPENSSL_SIGNATURE + ",v0=abc";
        assertThatCode(() -> verifier.verify(header, PAYLOAD, NOW)).doesNotThrowAnyException();
    }

    @Test
    void acceptsASignatureMadeWithTheSecondSecretDuringARotation() {
        StripeSignatureVerifier rotating =
                new StripeSignatureVerifier(List.of("whsec_new", " " + SECRET + " "), Duration.ofMinutes(5));
        assertThatCode(() -> rotating.verify("t=" + T + ",v1=" + OPENSSL_SIGNATURE, PAYLOAD, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void ignoresSignaturesOfOtherSchemes() {
        assertRejected("t=" + T + ",v0=" + OPENSSL_SIGNATURE, PAYLOAD, NOW, WebhookRejection.INVALID_SIGNATURE);
    }

    @Test
    void refusesAMissingHeader() {
        assertRejected(null, PAYLOAD, NOW, WebhookRejection.MISSING_SIGNATURE);
        assertRejected("  ", PAYLOAD, NOW, WebhookRejection.MISSING_SIGNATURE);
    }

    @Test
    void refusesAHeaderWithoutTimestampOrSignature() {
        assertRejected("v1=" + OPENSSL_SIGNATURE, PAYLOAD, NOW, WebhookRejection.INVALID_SIGNATURE);
        assertRejected("t=" + T, PAYLOAD, NOW, WebhookRejection.INVALID_SIGNATURE);
        assertRejected("t=soon,v1=" + OPENSSL_SIGNATURE, PAYLOAD, NOW, WebhookRejection.INVALID_SIGNATURE);
        assertRejected("garbage", PAYLOAD, NOW, WebhookRejection.INVALID_SIGNATURE);
    }

    @Test
    void refusesATamperedPayload() {
        byte[] tampered = "{\"id\":\"evt_test\",\"object\":\"event\" }".getBytes(StandardCharsets.UTF_8);
        assertRejected("t=" + T + ",v1=" + OPENSSL_SIGNATURE, tampered, NOW, WebhookRejection.INVALID_SIGNATURE);
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() {
        String other = StripeSignatureVerifier.sign("whsec_other", T, PAYLOAD);
        assertRejected("t=" + T + ",v1=" + other, PAYLOAD, NOW, WebhookRejection.INVALID_SIGNATURE);
    }

    @Test
    void refusesASignatureWhoseTimestampWasChanged() {
        assertRejected("t=" + (T + 1) + ",v1=" + OPENSSL_SIGNATURE, PAYLOAD, NOW, WebhookRejection.INVALID_SIGNATURE);
    }

    @Test
    void refusesATimestampOlderThanTheTolerance() {
        Instant tenMinutesLater = Instant.ofEpochSecond(T).plus(Duration.ofMinutes(10));
        assertRejected(
                "t=" + T + ",v1=" + OPENSSL_SIGNATURE, PAYLOAD, tenMinutesLater, WebhookRejection.STALE_TIMESTAMP);
    }

    @Test
    void refusesATimestampTooFarInTheFuture() {
        Instant tenMinutesEarlier = Instant.ofEpochSecond(T).minus(Duration.ofMinutes(10));
        assertRejected(
                "t=" + T + ",v1=" + OPENSSL_SIGNATURE, PAYLOAD, tenMinutesEarlier, WebhookRejection.STALE_TIMESTAMP);
    }

    @Test
    void acceptsATimestampJustWithinTheTolerance() {
        Instant almostFiveMinutes = Instant.ofEpochSecond(T).plus(Duration.ofSeconds(299));
        assertThatCode(() -> verifier.verify("t=" + T + ",v1=" + OPENSSL_SIGNATURE, PAYLOAD, almostFiveMinutes))
                .doesNotThrowAnyException();
    }

    @Test
    void honoursAConfiguredTolerance() {
        StripeSignatureVerifier strict = new StripeSignatureVerifier(List.of(SECRET), Duration.ofSeconds(10));
        assertRejected(strict, "t=" + T + ",v1=" + OPENSSL_SIGNATURE, PAYLOAD, NOW, WebhookRejection.STALE_TIMESTAMP);
    }

    @Test
    void refusesEverythingWithoutSecrets() {
        StripeSignatureVerifier unconfigured = new StripeSignatureVerifier(List.of("", " "), Duration.ofMinutes(5));
        assertThat(unconfigured.configured()).isFalse();
        assertRejected(
                unconfigured, "t=" + T + ",v1=" + OPENSSL_SIGNATURE, PAYLOAD, NOW, WebhookRejection.INVALID_SIGNATURE);
    }

    private void assertRejected(String header, byte[] payload, Instant now, WebhookRejection expected) {
        assertRejected(verifier, header, payload, now, expected);
    }

    private static void assertRejected(
            StripeSignatureVerifier verifier, String header, byte[] payload, Instant now, WebhookRejection expected) {
        assertThatThrownBy(() -> verifier.verify(header, payload, now))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.rejection())
                        .isEqualTo(expected));
    }
}
