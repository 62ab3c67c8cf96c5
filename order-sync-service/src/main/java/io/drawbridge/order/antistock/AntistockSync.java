package io.drawbridge.order.antistock;

import io.drawbridge.order.antistock.client.AntistockApi;
import io.drawbridge.order.antistock.client.AntistockCustomer;
import io.drawbridge.order.antistock.client.AntistockOrder;
import io.drawbridge.order.config.OrderSyncProperties;
import io.drawbridge.order.cursor.SyncCursors;
import io.drawbridge.order.ledger.OrderLedger;
import io.drawbridge.order.ledger.domain.LineItem;
import io.drawbridge.order.ledger.domain.OrderFact;
import io.drawbridge.order.ledger.persistence.OrderStore;
import io.drawbridge.order.observability.OrderMetrics;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Pulls Antistock on a schedule: every customer (for their emails), then the orders updated since the last run
 * (minus an overlap), each applied to the {@link OrderLedger} like a Stripe event, so status changes become the
 * same OrderStatusChanged events. The cursor moves only after a complete run; a failed run is counted and logged
 * and the next one starts over from the same point, which the ledger makes harmless.
 */
@Service
public class AntistockSync {

    public static final String PROVIDER = "antistock";
    static final String CURSOR = "antistock_orders";
    static final String SOURCE = "antistock_sync";
    private static final Logger log = LoggerFactory.getLogger(AntistockSync.class);

    private final AntistockApi antistock;
    private final OrderLedger ledger;
    private final OrderStore store;
    private final SyncCursors cursors;
    private final OrderMetrics metrics;
    private final OrderSyncProperties.Antistock settings;
    private final Clock clock;

    public AntistockSync(
            AntistockApi antistock,
            OrderLedger ledger,
            OrderStore store,
            SyncCursors cursors,
            OrderMetrics metrics,
            OrderSyncProperties properties,
            Clock clock) {
        this.antistock = antistock;
        this.ledger = ledger;
        this.store = store;
        this.cursors = cursors;
        this.metrics = metrics;
        this.settings = properties.antistock();
        this.clock = clock;
    }

    /** What one run did. */
    public record Run(long customers, long orders, long announced) {}

    /** One sync run; errors are reported (metric, log) and end the run with an error signal. */
    public Mono<Run> sync() {
        Map<String, String> emails = new HashMap<>();
        return antistock
                .customers()
                .concatMap(customer -> remember(customer, emails))
                .count()
                .flatMap(customers -> cursors.get(CURSOR)
                        .map(cursor -> cursor.map(Instant::parse)
                                .orElseGet(() -> clock.instant().minus(settings.lookback())))
                        .flatMap(newestSeen -> antistock
                                .ordersUpdatedSince(newestSeen.minus(settings.overlap()))
                                .concatMap(order -> apply(order, emails))
                                .reduce(new Tally(customers, 0, 0, newestSeen), Tally::add))
                        .flatMap(tally -> cursors.put(CURSOR, tally.newest().toString())
                                .thenReturn(new Run(tally.customers(), tally.orders(), tally.announced()))))
                .doOnNext(run -> {
                    metrics.syncRun("antistock_sync", "success");
                    // A run that found nothing new is routine (every few seconds in the dev stack): debug only.
                    if (run.orders() > 0 || run.announced() > 0) {
                        log.info(
                                "Antistock sync: {} customer(s), {} order update(s), {} status change(s)",
                                run.customers(),
                                run.orders(),
                                run.announced());
                    } else {
                        log.debug("Antistock sync: {} customer(s), nothing new", run.customers());
                    }
                })
                .doOnError(e -> {
                    boolean open = e instanceof CallNotPermittedException;
                    metrics.syncRun("antistock_sync", open ? "circuit_open" : "failure");
                    log.warn("Antistock sync failed ({}): {}", open ? "circuit open" : "error", e.toString());
                });
    }

    private Mono<AntistockCustomer> remember(AntistockCustomer customer, Map<String, String> emails) {
        if (customer.id() == null) {
            return Mono.empty();
        }
        if (customer.email() != null) {
            emails.put(customer.id(), customer.email());
        }
        return store.upsertCustomer(PROVIDER, customer.id(), customer.email(), customer.name())
                .thenReturn(customer);
    }

    private Mono<Applied> apply(AntistockOrder order, Map<String, String> emails) {
        String email = order.customerEmail() != null ? order.customerEmail() : emails.get(order.customerId());
        Instant occurredAt = order.updatedAt() != null ? order.updatedAt() : clock.instant();
        List<LineItem> lines = order.items().stream()
                .map(item -> new LineItem(
                        item.id() != null ? item.id() : order.id() + ":" + item.sku(),
                        item.sku(),
                        item.quantity(),
                        item.productId(),
                        item.name()))
                .toList();
        OrderFact fact = OrderFact.of(
                        PROVIDER,
                        order.id(),
                        AntistockStatusMapping.statusOf(order.status()).orElse(null),
                        occurredAt,
                        SOURCE,
                        order.id() + "@" + occurredAt)
                .withCustomer(email, order.customerId(), null)
                .withLines(lines)
                .withAmounts(order.totalCents(), null, order.currency());
        return ledger.apply(fact).map(transition -> {
            ledger.reportCommitted(transition);
            return new Applied(transition.announce(), order.updatedAt());
        });
    }

    private record Applied(boolean announced, Instant updatedAt) {}

    private record Tally(long customers, long orders, long announced, Instant newest) {
        Tally add(Applied applied) {
            Instant newer =
                    applied.updatedAt() != null && applied.updatedAt().isAfter(newest) ? applied.updatedAt() : newest;
            return new Tally(customers, orders + 1, announced + (applied.announced() ? 1 : 0), newer);
        }
    }
}
