package io.drawbridge.order.stripe.domain;

import java.util.List;

/** The Stripe event types that can change an order; every other type is acknowledged and ignored. */
public final class StripeEventTypes {

    public static final String CHECKOUT_SESSION_COMPLETED = "checkout.session.completed";
    public static final String CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED = "checkout.session.async_payment_succeeded";
    public static final String PAYMENT_INTENT_SUCCEEDED = "payment_intent.succeeded";
    public static final String PAYMENT_INTENT_CANCELED = "payment_intent.canceled";
    public static final String CHARGE_REFUNDED = "charge.refunded";
    public static final String CHARGE_DISPUTE_CREATED = "charge.dispute.created";
    public static final String CHARGE_DISPUTE_CLOSED = "charge.dispute.closed";

    /** Handled types, in the order the README documents them; also what reconciliation asks Stripe for. */
    public static final List<String> HANDLED = List.of(
            CHECKOUT_SESSION_COMPLETED,
            CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED,
            PAYMENT_INTENT_SUCCEEDED,
            PAYMENT_INTENT_CANCELED,
            CHARGE_REFUNDED,
            CHARGE_DISPUTE_CREATED,
            CHARGE_DISPUTE_CLOSED);

    private StripeEventTypes() {}

    /** The type as a metric tag: a handled type, or {@code other} to keep cardinality low. */
    public static String metricTag(String type) {
        return HANDLED.contains(type) ? type : "other";
    }
}
