package io.drawbridge.order.stripe;

import io.drawbridge.order.config.OrderSyncProperties;
import io.drawbridge.order.cursor.SyncCursors;
import io.drawbridge.order.observability.OrderMetrics;
import io.drawbridge.order.stripe.client.StripeApi;
import io.drawbridge.order.stripe.domain.StripeEvent;
import io.drawbridge.order.stripe.domain.StripeEventTypes;
import io.drawbridge.order.stripe.domain.WebhookRejectedException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Catches Stripe events whose webhook never arrived (endpoint down, secret misconfigured, delivery given up) by
 * listing {@code GET /v1/events} since the newest event seen, minus an overlap, and feeding every event through the
 * same {@link ReceiptIntake} as the webhook: events already received are no-ops.
 */
@Service
public class StripeReconciler {

    static final String CURSOR = "stripe_events";
    private static final Logger log = LoggerFactory.getLogger(StripeReconciler.class);

    private final StripeApi stripe;
    private final ReceiptIntake intake;
    private final SyncCursors cursors;
    private final JsonMapper json;
    private final OrderMetrics metrics;
    private final OrderSyncProperties.Reconciliation settings;
    private final Clock clock;

    public StripeReconciler(
            StripeApi stripe,
            ReceiptIntake intake,
            SyncCursors cursors,
            JsonMapper json,
            OrderMetrics metrics,
            OrderSyncProperties properties,
            Clock clock) {
        this.stripe = stripe;
        this.intake = intake;
        this.cursors = cursors;
        this.json = json;
        this.metrics = metrics;
        this.settings = properties.stripe().reconciliation();
        this.clock = clock;
    }

    /** What one run did. */
    public record Run(long listed, long stored) {}

    /** One reconciliation run; fails (and moves no cursor) when Stripe cannot be listed completely. */
    public Mono<Run> reconcile() {
        return cursors.get(CURSOR)
                .map(cursor -> cursor.map(c -> Instant.ofEpochSecond(Long.parseLong(c)))
                        .orElseGet(() -> clock.instant().minus(settings.lookback())))
                .flatMap(newestSeen -> stripe.events(
                                StripeEventTypes.HANDLED, newestSeen.minus(settings.overlap()), settings.pageSize())
                        .concatMap(this::accept)
                        .reduce(new Tally(0, 0, newestSeen.getEpochSecond()), Tally::add))
                .flatMap(tally -> cursors.put(CURSOR, Long.toString(tally.newest()))
                        .thenReturn(new Run(tally.listed(), tally.stored())))
                .doOnNext(run -> {
                    metrics.syncRun("stripe_reconciliation", "success");
                    if (run.stored() > 0) {
                        log.info(
                                "Stripe reconciliation stored {} missed event(s) of {} listed",
                                run.stored(),
                                run.listed());
                    }
                })
                .doOnError(e -> {
                    metrics.syncRun("stripe_reconciliation", "failure");
                    log.warn("Stripe reconciliation failed: {}", e.toString());
                });
    }

    private Mono<Seen> accept(JsonNode node) {
        StripeEvent event;
        try {
            event = StripeEvent.of(node);
        } catch (WebhookRejectedException e) {
            log.warn("Stripe listed an event that is not one; skipped");
            return Mono.just(new Seen(false, 0));
        }
        return intake.accept(event, ReceiptIntake.RECONCILIATION, json.writeValueAsString(node))
                .map(stored -> new Seen(stored, event.created().getEpochSecond()));
    }

    private record Seen(boolean stored, long created) {}

    private record Tally(long listed, long stored, long newest) {
        Tally add(Seen seen) {
            return new Tally(listed + 1, stored + (seen.stored() ? 1 : 0), Math.max(newest, seen.created()));
        }
    }
}
