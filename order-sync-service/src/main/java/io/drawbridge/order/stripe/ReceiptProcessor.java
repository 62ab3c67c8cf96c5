package io.drawbridge.order.stripe;

import io.drawbridge.order.config.OrderSyncProperties;
import io.drawbridge.order.ledger.OrderLedger;
import io.drawbridge.order.ledger.domain.LineItem;
import io.drawbridge.order.ledger.domain.OrderFact;
import io.drawbridge.order.ledger.domain.OrderTransition;
import io.drawbridge.order.observability.OrderMetrics;
import io.drawbridge.order.stripe.client.StripeApi;
import io.drawbridge.order.stripe.domain.StripeEvent;
import io.drawbridge.order.stripe.domain.StripeEventInterpreter;
import io.drawbridge.order.stripe.domain.StripeInterpretation;
import io.drawbridge.order.stripe.domain.StripeSkuMapping;
import io.drawbridge.order.stripe.domain.WebhookRejectedException;
import io.drawbridge.order.stripe.persistence.WebhookReceiptStore;
import io.drawbridge.order.stripe.persistence.WebhookReceiptStore.PendingReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Processes stored Stripe events: right after a receipt is stored, and again from a periodic sweep for receipts
 * whose processing failed or was cut short. A receipt is locked, applied to the ledger and marked processed in one
 * transaction, so however many workers race for it, its effect happens once.
 */
@Service
public class ReceiptProcessor {

    private static final Logger log = LoggerFactory.getLogger(ReceiptProcessor.class);

    private final WebhookReceiptStore receipts;
    private final StripeEventInterpreter interpreter;
    private final StripeSkuMapping skus;
    private final StripeApi stripe;
    private final OrderLedger ledger;
    private final TransactionalOperator transactions;
    private final JsonMapper json;
    private final OrderMetrics metrics;
    private final OrderSyncProperties.Receipts settings;
    private final Clock clock;

    public ReceiptProcessor(
            WebhookReceiptStore receipts,
            StripeEventInterpreter interpreter,
            StripeSkuMapping skus,
            StripeApi stripe,
            OrderLedger ledger,
            TransactionalOperator transactions,
            JsonMapper json,
            OrderMetrics metrics,
            OrderSyncProperties properties,
            Clock clock) {
        this.receipts = receipts;
        this.interpreter = interpreter;
        this.skus = skus;
        this.stripe = stripe;
        this.ledger = ledger;
        this.transactions = transactions;
        this.json = json;
        this.metrics = metrics;
        this.settings = properties.receipts();
        this.clock = clock;
    }

    /** Starts processing a just-stored receipt without making the caller (Stripe's delivery) wait for it. */
    public void submit(String eventId) {
        process(eventId).subscribe(null, e -> log.error("Processing Stripe event {} failed", eventId, e));
    }

    /** Processes the receipts that are due: new ones left behind and failed ones whose backoff has passed. */
    /** Deletes processed receipts past their retention, a batch at a time; how many. */
    public Mono<Long> forgetOld() {
        Instant cutoff = clock.instant().minus(settings.retention());
        int batch = 1_000;
        return receipts.deleteProcessedBefore(cutoff, batch)
                .expand(deleted -> deleted < batch ? Mono.empty() : receipts.deleteProcessedBefore(cutoff, batch))
                .reduce(0L, Long::sum)
                .doOnNext(deleted -> {
                    if (deleted > 0) {
                        log.info(
                                "Deleted {} Stripe receipts processed more than {} ago", deleted, settings.retention());
                    }
                });
    }

    public Mono<Long> sweep() {
        return receipts.due(clock.instant(), settings.batchSize())
                .concatMap(eventId -> process(eventId).thenReturn(eventId))
                .count();
    }

    /** Processes one receipt if it still needs it; completes empty otherwise. */
    public Mono<Void> process(String eventId) {
        return receipts.findPending(eventId)
                .flatMap(receipt -> interpret(receipt)
                        .flatMap(interpretation -> applyOnce(eventId, interpretation))
                        .onErrorResume(e -> failed(receipt, e)))
                .then();
    }

    private Mono<StripeInterpretation> interpret(PendingReceipt receipt) {
        StripeInterpretation interpretation;
        try {
            StripeEvent event = StripeEvent.of(json.readTree(receipt.payload()));
            interpretation = interpreter.interpret(event, receipt.source());
        } catch (WebhookRejectedException e) {
            return Mono.just(new StripeInterpretation.Ignored("malformed"));
        }
        if (interpretation instanceof StripeInterpretation.Applies applies && applies.lineItemsOfSession() != null) {
            return linesOf(applies.lineItemsOfSession())
                    .map(lines ->
                            new StripeInterpretation.Applies(applies.fact().withLines(lines), null));
        }
        return Mono.just(interpretation);
    }

    private Mono<List<LineItem>> linesOf(String sessionId) {
        if (!stripe.configured()) {
            // Nothing says what was bought: record it, so it is reported rather than lost.
            return Mono.just(List.of(new LineItem(
                    sessionId,
                    null,
                    1,
                    null,
                    "line items unknown: no drawbridge_sku metadata and no" + " STRIPE_API_KEY to fetch them")));
        }
        return stripe.checkoutLineItems(sessionId).map(skus::lineOf).collectList();
    }

    private Mono<Void> applyOnce(String eventId, StripeInterpretation interpretation) {
        Mono<Optional<OrderTransition>> work = receipts.lockPending(eventId).flatMap(locked -> effect(interpretation)
                .flatMap(transition -> receipts.markProcessed(eventId, interpretation.outcome())
                        .thenReturn(transition)));
        return transactions
                .transactional(work)
                .doOnNext(transition -> {
                    transition.ifPresent(ledger::reportCommitted);
                    metrics.receiptProcessed(
                            interpretation instanceof StripeInterpretation.Applies ? "applied" : "ignored");
                })
                .then();
    }

    private Mono<Optional<OrderTransition>> effect(StripeInterpretation interpretation) {
        if (interpretation instanceof StripeInterpretation.Applies applies) {
            OrderFact fact = applies.fact();
            return ledger.apply(fact).map(Optional::of);
        }
        return Mono.just(Optional.empty());
    }

    private Mono<Void> failed(PendingReceipt receipt, Throwable error) {
        int attempt = receipt.attempts() + 1;
        boolean giveUp = attempt >= settings.maxAttempts();
        Duration backoff = backoff(attempt);
        String reason = error.getClass().getSimpleName() + ": " + String.valueOf(error.getMessage());
        if (giveUp) {
            log.error("Giving up on Stripe event {} after {} attempts: {}", receipt.eventId(), attempt, reason);
        } else {
            log.warn(
                    "Stripe event {} failed (attempt {}), retrying in {}: {}",
                    receipt.eventId(),
                    attempt,
                    backoff,
                    reason);
        }
        metrics.receiptProcessed(giveUp ? "failed" : "retry");
        return receipts.markFailed(
                        receipt.eventId(),
                        clock.instant().plus(backoff),
                        reason.length() > 500 ? reason.substring(0, 500) : reason,
                        giveUp)
                .onErrorResume(e -> {
                    log.warn("Could not record the failure of Stripe event {}", receipt.eventId(), e);
                    return Mono.empty();
                });
    }

    Duration backoff(int attempt) {
        Duration wait = settings.retryBackoff();
        for (int i = 1; i < attempt && wait.compareTo(settings.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }
}
