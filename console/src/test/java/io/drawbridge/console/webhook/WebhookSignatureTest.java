package io.drawbridge.console.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** The Standard Webhooks specification's own example, so that any of its libraries verifies what we send. */
    @Test
    void signsAsTheStandardWebhooksSpecificationsExample() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignature.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void verifyingRefusesAnotherBodyTimestampIdOrSecretAndAcceptsOneOfSeveralSignatures() {
        String secret = WebhookSignature.newSecret();
        byte[] body = "{\"type\":\"link.used_up\"}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign(secret, "id-1", 1700000000L, body);

        assertThat(WebhookSignature.verify(secret, "id-1", 1700000000L, body, signature))
                .isTrue();
        assertThat(WebhookSignature.verify(secret, "id-1", 1700000000L, body, "v1,bm90IGl0 " + signature))
                .isTrue();
        assertThat(WebhookSignature.verify(secret, "id-1", 1700000001L, body, signature))
                .isFalse();
        assertThat(WebhookSignature.verify(secret, "id-2", 1700000000L, body, signature))
                .isFalse();
        assertThat(WebhookSignature.verify(
                        secret, "id-1", 1700000000L, "{}".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        assertThat(WebhookSignature.verify(WebhookSignature.newSecret(), "id-1", 1700000000L, body, signature))
                .isFalse();
        assertThat(secret).startsWith("whsec_").isNotEqualTo(WebhookSignature.newSecret());
    }
}
