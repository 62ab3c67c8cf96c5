package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An order moved to a new status at its storefront (paid, refunded, disputed...), normalized across providers so
 * token-service issues or revokes links without knowing Stripe or Antistock.
 *
 * @param provider e.g. {@code stripe} or {@code antistock}
 * @param externalId the provider's id of the order or payment
 * @param previousStatus null for the first status seen
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderStatusChanged(
        String orderId,
        String provider,
        String externalId,
        String customerEmail,
        String status,
        String previousStatus,
        List<OrderLine> lines,
        Instant occurredAt)
        implements Event {

    @Override
    public String key() {
        return orderId;
    }
}
