package io.drawbridge.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Plays Stripe: sends events shaped like Stripe's own example objects ({@code src/test/resources/stripe/}) to
 * order-sync-service, signed as Stripe signs them ({@code Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
 * "<t>.<body>")>}) with the webhook secret the stack gave it.
 */
final class StripeWebhooks {

    private final Drawbridge drawbridge;

    StripeWebhooks(Drawbridge drawbridge) {
        this.drawbridge = drawbridge;
    }

    /** A new PaymentIntent id, as Stripe would make one. */
    static String newPaymentIntent() {
        return "pi_" + random();
    }

    /** {@code checkout.session.completed}, paid, one line of {@code sku} (session metadata {@code drawbridge_sku}). */
    HttpResponse<String> checkoutCompleted(String email, String sku, String paymentIntent) {
        long now = Instant.now().getEpochSecond();
        return send(fill(
                "checkout.session.completed.json",
                Map.of(
                        "eventId",
                        "evt_" + random(),
                        "created",
                        Long.toString(now),
                        "sessionId",
                        "cs_test_" + random(),
                        "email",
                        email,
                        "expiresAt",
                        Long.toString(now + 86_400),
                        "sku",
                        sku,
                        "paymentIntent",
                        paymentIntent)));
    }

    /** {@code charge.refunded}: the whole charge of {@code paymentIntent} refunded. */
    HttpResponse<String> chargeRefunded(String paymentIntent) {
        return send(fill(
                "charge.refunded.json",
                Map.of(
                        "eventId",
                        "evt_" + random(),
                        "created",
                        Long.toString(Instant.now().getEpochSecond()),
                        "chargeId",
                        "ch_" + random(),
                        "paymentIntent",
                        paymentIntent)));
    }

    private HttpResponse<String> send(String payload) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String signature = hmacHex(drawbridge.stack().stripeWebhookSecret(), timestamp + "." + payload);
        return drawbridge.send(
                HttpRequest.newBuilder(URI.create(drawbridge.stack().url("order-sync-service") + "/webhooks/stripe"))
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                        .header("Stripe-Signature", "t=" + timestamp + ",v1=" + signature)
                        .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)));
    }

    private static String fill(String template, Map<String, String> values) {
        String text;
        try (InputStream in = StripeWebhooks.class.getResourceAsStream("/stripe/" + template)) {
            if (in == null) {
                throw new IllegalStateException("no test resource stripe/" + template);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("${" + value.getKey() + "}", value.getValue());
        }
        if (text.contains("${")) {
            throw new IllegalStateException("unfilled placeholder in " + template);
        }
        return text;
    }

    private static String hmacHex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
