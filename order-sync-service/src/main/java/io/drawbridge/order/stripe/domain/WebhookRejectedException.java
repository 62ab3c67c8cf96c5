package io.drawbridge.order.stripe.domain;

/** A webhook delivery that must be answered 400 and must change nothing. */
public class WebhookRejectedException extends RuntimeException {

    private final WebhookRejection rejection;

    public WebhookRejectedException(WebhookRejection rejection) {
        super(rejection.detail(), null, false, false);
        this.rejection = rejection;
    }

    public WebhookRejection rejection() {
        return rejection;
    }
}
