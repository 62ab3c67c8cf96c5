package io.drawbridge.order.stripe.client;

/** Stripe's API answered with an error status (or not at all); the caller retries later. */
public class StripeApiException extends RuntimeException {

    public StripeApiException(String message) {
        super(message, null, false, false);
    }
}
