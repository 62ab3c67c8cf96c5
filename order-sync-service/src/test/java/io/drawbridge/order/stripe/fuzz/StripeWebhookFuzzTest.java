package io.drawbridge.order.stripe.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.drawbridge.order.stripe.domain.StripeEvent;
import io.drawbridge.order.stripe.domain.StripeEventInterpreter;
import io.drawbridge.order.stripe.domain.StripeSignatureVerifier;
import io.drawbridge.order.stripe.domain.StripeSkuMapping;
import io.drawbridge.order.stripe.domain.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzz targets for what the Stripe webhook endpoint reads from the internet: the {@code Stripe-Signature} header and
 * the JSON body. Whatever arrives, the outcome is either acceptance or a {@link WebhookRejectedException} (a 400 with
 * its code), never another exception (a 500). Regression inputs live under {@code
 * src/test/resources/io/drawbridge/order/stripe/fuzz/StripeWebhookFuzzTestInputs/<target>/}; {@code bin/fuzz} fuzzes
 * each target briefly.
 */
class StripeWebhookFuzzTest {

    private static final String SECRET = "whsec_fuzz_secret";
    private static final StripeSignatureVerifier VERIFIER =
            new StripeSignatureVerifier(List.of(SECRET), Duration.ofMinutes(5));
    private static final StripeEventInterpreter INTERPRETER =
            new StripeEventInterpreter(new StripeSkuMapping(Map.of("price_Configured_1", "configured-sku")));
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @FuzzTest(maxDuration = "10s")
    void signatureHeader(FuzzedDataProvider data) {
        boolean signed = data.consumeBoolean();
        String header = data.consumeString(300);
        byte[] payload = data.consumeRemainingAsBytes();
        if (signed) {
            // Whatever a proxy or Stripe adds before it, a correct signature of this payload now is accepted.
            header = header.replace("t=", "x=").replace("v1=", "x=") + ",t=" + NOW.getEpochSecond() + ",v1="
                    + StripeSignatureVerifier.sign(SECRET, NOW.getEpochSecond(), payload);
        }
        try {
            VERIFIER.verify(header, payload, NOW);
            assertThat(signed)
                    .as("only a payload signed with the secret is accepted")
                    .isTrue();
        } catch (WebhookRejectedException rejected) {
            assertThat(signed)
                    .as("a correctly signed payload is accepted: %s", header)
                    .isFalse();
        }
    }

    @FuzzTest(maxDuration = "10s")
    void eventJson(FuzzedDataProvider data) {
        byte[] payload = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
        try {
            StripeEvent event = StripeEvent.parse(MAPPER, payload);
            INTERPRETER.interpret(event, "webhook");
        } catch (WebhookRejectedException rejected) {
            // A 400 with its code: the contract.
        }
    }
}
