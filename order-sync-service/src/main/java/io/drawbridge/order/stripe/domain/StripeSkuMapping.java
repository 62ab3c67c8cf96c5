package io.drawbridge.order.stripe.domain;

import io.drawbridge.order.ledger.domain.LineItem;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Decides which Drawbridge product a Stripe line buys. Sellers tag their Stripe objects with metadata
 * {@code drawbridge_sku} (on the price, or on the product when it is expanded); a configured price-id → sku map
 * covers prices that cannot be tagged. First match wins: price metadata, product metadata, map by price id,
 * map by product id.
 */
public final class StripeSkuMapping {

    /** The metadata key sellers set on a Checkout Session, PaymentIntent, price or product. */
    public static final String SKU_METADATA_KEY = "drawbridge_sku";

    /** Optional quantity next to {@link #SKU_METADATA_KEY} on a session or intent (default 1). */
    public static final String QUANTITY_METADATA_KEY = "drawbridge_quantity";

    private final Map<String, String> priceSkus;

    public StripeSkuMapping(Map<String, String> priceSkus) {
        this.priceSkus = priceSkus == null ? Map.of() : Map.copyOf(priceSkus);
    }

    /** A Stripe {@code item} (a Checkout line item) as a ledger line; its sku is null when nothing maps it. */
    public LineItem lineOf(JsonNode item) {
        JsonNode price = item.path("price");
        String priceId = StripeJson.idOf(price);
        JsonNode product = price.path("product");
        String productId = StripeJson.idOf(product);
        String sku = StripeJson.text(price.path("metadata").path(SKU_METADATA_KEY));
        if (sku == null) {
            sku = StripeJson.text(product.path("metadata").path(SKU_METADATA_KEY));
        }
        if (sku == null && priceId != null) {
            sku = priceSkus.get(priceId);
        }
        if (sku == null && productId != null) {
            sku = priceSkus.get(productId);
        }
        int quantity = item.path("quantity").asInt(1);
        return new LineItem(
                StripeJson.text(item.path("id")),
                sku,
                quantity > 0 ? quantity : 1,
                priceId != null ? priceId : productId,
                StripeJson.text(item.path("description")));
    }

    /** The line named by {@code drawbridge_sku} metadata of a session or intent, or null without one. */
    public static LineItem lineFromMetadata(String ownerId, JsonNode metadata) {
        String sku = StripeJson.text(metadata.path(SKU_METADATA_KEY));
        if (sku == null) {
            return null;
        }
        int quantity = 1;
        String q = StripeJson.text(metadata.path(QUANTITY_METADATA_KEY));
        if (q != null) {
            try {
                quantity = Math.max(1, Integer.parseInt(q));
            } catch (NumberFormatException e) {
                quantity = 1;
            }
        }
        return new LineItem(ownerId + ":" + sku, sku, quantity, null, null);
    }
}
