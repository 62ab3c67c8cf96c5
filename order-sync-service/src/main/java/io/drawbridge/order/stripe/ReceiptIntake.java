package io.drawbridge.order.stripe;

import io.drawbridge.order.stripe.domain.StripeEvent;
import io.drawbridge.order.stripe.persistence.WebhookReceiptStore;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The single door through which Stripe events enter, whether pushed (webhook) or pulled (reconciliation): store
 * the receipt once per event id, then hand it to the {@link ReceiptProcessor}. A second delivery of the same id
 * stores nothing and triggers nothing.
 */
@Service
public class ReceiptIntake {

    /** Sources recorded on receipts and in the order history. */
    public static final String WEBHOOK = "stripe_webhook";

    public static final String RECONCILIATION = "stripe_reconciliation";

    private final WebhookReceiptStore receipts;
    private final ReceiptProcessor processor;

    public ReceiptIntake(WebhookReceiptStore receipts, ReceiptProcessor processor) {
        this.receipts = receipts;
        this.processor = processor;
    }

    /** Stores {@code event} (its JSON {@code payload}) once; true when this call stored it. */
    public Mono<Boolean> accept(StripeEvent event, String source, String payload) {
        return receipts.insertOnce(event, source, payload).doOnNext(stored -> {
            if (stored) {
                processor.submit(event.id());
            }
        });
    }
}
