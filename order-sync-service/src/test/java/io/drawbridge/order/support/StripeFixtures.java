package io.drawbridge.order.support;

import io.drawbridge.order.stripe.domain.StripeSignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe payloads built from Stripe's own example objects (src/test/resources/stripe, copied from the OpenAPI
 * fixtures), so parsing is tested against the real shape with all the fields we ignore.
 */
public final class StripeFixtures {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private StripeFixtures() {}

    public static ObjectNode fixture(String name) {
        try (InputStream in = StripeFixtures.class.getResourceAsStream("/stripe/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** An {@code event} envelope (Stripe's example) around {@code object}, with a fresh id. */
    public static ObjectNode event(String type, ObjectNode object) {
        return event(unique("evt_"), type, object, Instant.now());
    }

    public static ObjectNode event(String id, String type, ObjectNode object, Instant created) {
        ObjectNode event = fixture("event");
        event.put("id", id);
        event.put("type", type);
        event.put("created", created.getEpochSecond());
        event.put("api_version", "2024-06-20");
        ((ObjectNode) event.get("data")).set("object", object);
        return event;
    }

    /** A completed, paid Checkout Session for {@code paymentIntent}, tagged with {@code sku} when not null. */
    public static ObjectNode paidCheckoutSession(String paymentIntent, String email, String sku) {
        ObjectNode session = fixture("checkout_session");
        session.put("id", unique("cs_test_"));
        session.put("payment_intent", paymentIntent);
        session.put("payment_status", "paid");
        session.put("status", "complete");
        session.put("amount_total", 1900);
        session.put("amount_subtotal", 1900);
        session.put("currency", "usd");
        ((ObjectNode) session.get("customer_details")).put("email", email);
        ((ObjectNode) session.get("customer_details")).put("name", "Jenny Rosen");
        ObjectNode metadata = session.putObject("metadata");
        if (sku != null) {
            metadata.put("drawbridge_sku", sku);
        }
        return session;
    }

    /** A succeeded PaymentIntent. */
    public static ObjectNode succeededPaymentIntent(String id) {
        ObjectNode intent = fixture("payment_intent");
        intent.put("id", id);
        intent.put("status", "succeeded");
        intent.put("amount_received", intent.get("amount").asLong());
        intent.putNull("canceled_at");
        intent.putNull("last_payment_error");
        intent.put("client_secret", id + "_secret_x");
        return intent;
    }

    /** A charge of {@code paymentIntent}, fully refunded when {@code refunded}. */
    public static ObjectNode refundedCharge(String paymentIntent, boolean refunded) {
        ObjectNode charge = fixture("charge");
        charge.put("id", unique("ch_"));
        charge.put("payment_intent", paymentIntent);
        charge.put("captured", true);
        charge.put("amount_captured", charge.get("amount").asLong());
        charge.put("refunded", refunded);
        long refundedAmount = refunded ? charge.get("amount").asLong() : 40;
        charge.put("amount_refunded", refundedAmount);
        ObjectNode refund = fixture("refund");
        refund.put("charge", charge.get("id").asString());
        refund.put("payment_intent", paymentIntent);
        refund.put("amount", refundedAmount);
        ObjectNode refunds = (ObjectNode) charge.get("refunds");
        ((ArrayNode) refunds.get("data")).add(refund);
        return charge;
    }

    /** A dispute of {@code paymentIntent}'s charge with Stripe's {@code status}. */
    public static ObjectNode dispute(String paymentIntent, String status) {
        ObjectNode dispute = fixture("dispute");
        dispute.put("id", unique("dp_"));
        dispute.put("payment_intent", paymentIntent);
        dispute.put("status", status);
        return dispute;
    }

    /** A Checkout line item ({@code item}) with its price and product expanded. */
    public static ObjectNode lineItem(String priceId, String priceSku, String productSku, int quantity) {
        ObjectNode price =
                (ObjectNode) fixture("event").get("data").get("object").deepCopy();
        price.put("id", priceId);
        price.put("object", "price");
        price.put("type", "one_time");
        price.remove("interval");
        ObjectNode priceMetadata = price.putObject("metadata");
        if (priceSku != null) {
            priceMetadata.put("drawbridge_sku", priceSku);
        }
        ObjectNode product = price.putObject("product");
        product.put("id", unique("prod_"));
        product.put("object", "product");
        product.put("name", "Product of " + priceId);
        ObjectNode productMetadata = product.putObject("metadata");
        if (productSku != null) {
            productMetadata.put("drawbridge_sku", productSku);
        }
        ObjectNode item = JSON.createObjectNode();
        item.put("id", unique("li_"));
        item.put("object", "item");
        item.put("amount_subtotal", 2000L * quantity);
        item.put("amount_total", 2000L * quantity);
        item.put("currency", "usd");
        item.put("description", "Product of " + priceId);
        item.set("price", price);
        item.put("quantity", quantity);
        return item;
    }

    public static byte[] bytes(ObjectNode node) {
        return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code Stripe-Signature} header as Stripe computes it. */
    public static String signature(byte[] payload, String secret, Instant at) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + StripeSignatureVerifier.sign(secret, t, payload);
    }
}
