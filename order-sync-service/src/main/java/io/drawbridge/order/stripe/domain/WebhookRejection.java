package io.drawbridge.order.stripe.domain;

/**
 * Why a webhook delivery was refused. The codes are the problem {@code error} codes of the 400 answer and the
 * {@code reason} tag of the rejection metric, so they stay few and stable.
 */
public enum WebhookRejection {
    MISSING_SIGNATURE("missing_signature", "the Stripe-Signature header is missing"),
    INVALID_SIGNATURE("invalid_signature", "no v1 signature matches the payload"),
    STALE_TIMESTAMP("stale_timestamp", "the signature timestamp is outside the tolerance"),
    MALFORMED_PAYLOAD("malformed_payload", "the payload is not a Stripe event");

    private final String code;
    private final String detail;

    WebhookRejection(String code, String detail) {
        this.code = code;
        this.detail = detail;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return detail;
    }
}
