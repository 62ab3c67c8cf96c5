package io.drawbridge.order.stripe.domain;

import io.drawbridge.order.ledger.domain.OrderFact;

/** What a Stripe event means for the ledger. */
public sealed interface StripeInterpretation {

    /** A short label for the receipt's outcome column. */
    String outcome();

    /** The event is acknowledged and changes nothing (an unhandled type, or a state we do not track). */
    record Ignored(String reason) implements StripeInterpretation {
        @Override
        public String outcome() {
            return "ignored:" + reason;
        }
    }

    /**
     * The event says something about an order.
     *
     * @param lineItemsOfSession a Checkout Session id whose line items must be fetched from Stripe to know the
     *     products (webhooks do not carry them), or null
     */
    record Applies(OrderFact fact, String lineItemsOfSession) implements StripeInterpretation {
        @Override
        public String outcome() {
            return "applied";
        }
    }
}
