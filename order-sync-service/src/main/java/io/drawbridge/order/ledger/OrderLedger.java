package io.drawbridge.order.ledger;

import io.drawbridge.events.OrderLine;
import io.drawbridge.events.OrderStatusChanged;
import io.drawbridge.order.ledger.domain.LineItem;
import io.drawbridge.order.ledger.domain.OrderFact;
import io.drawbridge.order.ledger.domain.OrderTransition;
import io.drawbridge.order.ledger.persistence.OrderStore;
import io.drawbridge.order.observability.OrderMetrics;
import io.drawbridge.platform.outbox.Outbox;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The one place where orders change. Applies a provider fact to its order under the order's row lock, records
 * the status history and appends OrderStatusChanged to the outbox, all in one transaction (joining the caller's
 * when there is one), so an order's state and its published events cannot disagree.
 */
@Service
public class OrderLedger {

    private static final Logger log = LoggerFactory.getLogger(OrderLedger.class);

    private final OrderStore store;
    private final Outbox outbox;
    private final TransactionalOperator transactions;
    private final OrderMetrics metrics;

    public OrderLedger(OrderStore store, Outbox outbox, TransactionalOperator transactions, OrderMetrics metrics) {
        this.store = store;
        this.outbox = outbox;
        this.transactions = transactions;
        this.metrics = metrics;
    }

    /**
     * Applies {@code fact} in a transaction (the caller's, if any). Call {@link #reportCommitted} with the result
     * once that transaction has committed.
     */
    public Mono<OrderTransition> apply(OrderFact fact) {
        return transactions.transactional(
                Mono.defer(() -> customerOf(fact).flatMap(customerId -> applyToOrder(fact, customerId.orElse(null)))));
    }

    /** Metrics and logs of a committed transition (kept out of the transaction so a rollback counts nothing). */
    public void reportCommitted(OrderTransition transition) {
        if (transition.announce()) {
            metrics.statusChanged(
                    transition.order().provider(), transition.order().status().wireName());
        }
        List<LineItem> unmapped = transition.order().unmappedLines();
        if (transition.linesChanged() && !unmapped.isEmpty()) {
            metrics.unmappedLines(transition.order().provider(), unmapped.size());
            log.warn(
                    "Order {} ({} {}) has {} line(s) without a product mapping, price/product ids {}: set metadata"
                            + " drawbridge_sku or drawbridge.order.stripe.price-skus",
                    transition.order().id(),
                    transition.order().provider(),
                    transition.order().externalId(),
                    unmapped.size(),
                    unmapped.stream().map(LineItem::priceId).toList());
        }
    }

    private Mono<Optional<UUID>> customerOf(OrderFact fact) {
        String externalId = fact.customerExternalId();
        if (externalId == null && fact.customerEmail() != null) {
            externalId = OrderStore.emailCustomerId(fact.customerEmail());
        }
        if (externalId == null) {
            return Mono.just(Optional.empty());
        }
        return store.upsertCustomer(fact.provider(), externalId, fact.customerEmail(), fact.customerName())
                .map(Optional::of);
    }

    private Mono<OrderTransition> applyToOrder(OrderFact fact, UUID customerId) {
        OrderTransition creation = OrderTransition.decide(null, fact, UUID.randomUUID());
        return store.insert(creation.order(), customerId, fact.occurredAt())
                .flatMap(inserted -> inserted ? Mono.just(creation) : updateExisting(fact, customerId))
                .flatMap(transition -> record(transition, fact).thenReturn(transition));
    }

    private Mono<OrderTransition> updateExisting(OrderFact fact, UUID customerId) {
        return store.lock(fact.provider(), fact.externalId()).flatMap(current -> {
            OrderTransition transition = OrderTransition.decide(current, fact, null);
            if (!transition.changed() && customerId == null) {
                return Mono.just(transition);
            }
            return store.update(transition.order(), customerId, transition.statusChanged() ? fact.occurredAt() : null)
                    .thenReturn(transition);
        });
    }

    private Mono<Void> record(OrderTransition transition, OrderFact fact) {
        Mono<Void> history = transition.statusChanged()
                ? store.recordStatus(
                        transition.order().id(),
                        transition.order().status(),
                        transition.previousStatus(),
                        fact.source(),
                        fact.sourceRef(),
                        fact.occurredAt())
                : Mono.empty();
        Mono<Void> announcement = transition.announce() ? outbox.append(event(transition, fact)) : Mono.empty();
        return history.then(announcement);
    }

    private static OrderStatusChanged event(OrderTransition transition, OrderFact fact) {
        var order = transition.order();
        return new OrderStatusChanged(
                order.id().toString(),
                order.provider(),
                order.externalId(),
                order.customerEmail(),
                order.status().wireName(),
                transition.previousStatus() == null
                        ? null
                        : transition.previousStatus().wireName(),
                order.mappedLines().stream()
                        .map(l -> new OrderLine(l.lineId(), l.sku(), l.quantity()))
                        .toList(),
                fact.occurredAt());
    }
}
