package io.drawbridge.order.antistock.client;

import java.time.Instant;
import java.util.List;

/**
 * An order as Antistock lists it.
 *
 * @param customerEmail present on some orders (guest checkouts); otherwise the customer's email is looked up
 * @param totalCents the order total in the currency's smallest unit
 */
public record AntistockOrder(
        String id,
        String customerId,
        String customerEmail,
        String status,
        String currency,
        Long totalCents,
        List<Item> items,
        Instant updatedAt) {

    /** One order item; {@code sku} is the seller's product code, which is the Drawbridge sku. */
    public record Item(String id, String sku, String productId, String name, int quantity) {}
}
