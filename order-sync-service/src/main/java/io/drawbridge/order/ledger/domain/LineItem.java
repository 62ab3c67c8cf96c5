package io.drawbridge.order.ledger.domain;

/**
 * One line of an order as the ledger keeps it. A line whose product could not be identified keeps a null
 * {@code sku}: it is recorded and reported, never silently dropped.
 *
 * @param lineId stable per provider line (Stripe line item id, or session/intent id and sku)
 * @param sku the Drawbridge product, null when unmapped
 * @param priceId the provider's price or product id, kept to explain an unmapped line
 * @param description what the provider called it, for the admin view
 */
public record LineItem(String lineId, String sku, int quantity, String priceId, String description) {

    public boolean mapped() {
        return sku != null && !sku.isBlank();
    }
}
