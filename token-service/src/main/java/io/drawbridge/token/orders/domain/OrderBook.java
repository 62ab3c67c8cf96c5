package io.drawbridge.token.orders.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the order read model is kept. Everything that issues or revokes an order's links first takes the order's
 * row lock ({@link #lock}), so the paid event, the storefront's claim, the sweep, a refund and an admin's re-send
 * of one order happen one after the other, never interleaved.
 */
public interface OrderBook {

    /** Records an order seen for the first time, in the event's status; false when it was known already. */
    Mono<Boolean> insert(OrderChange change, Instant paidAt, Instant now);

    /** Adds the lines it does not have yet ({@code waiting}); lines it has are left as they are. */
    Mono<Void> addLines(String orderId, List<OrderChange.Line> lines);

    /** The order and its lines, its row locked until the transaction ends; empty when unknown. */
    Mono<Order> lock(String orderId);

    /** As {@link #lock(String)}, found by the storefront's id. */
    Mono<Order> lockByExternalId(String provider, String externalId);

    Mono<Order> find(String orderId);

    Mono<OrderPage> search(OrderQuery query);

    /** Moves the order to a higher status; {@code paidAt} (when not null) is kept if the order has none yet. */
    Mono<Void> advance(
            String orderId, OrderStatus status, String customerEmail, Instant statusAt, Instant paidAt, Instant now);

    /** The order's email, as a re-published event of the same status gives it (new lines use it). */
    Mono<Void> updateEmail(String orderId, String customerEmail, Instant now);

    /** Marks the order revoked, unless it is already (the first reason stays). */
    Mono<Void> revoke(String orderId, String reason, Instant at);

    Mono<Void> disputeWon(String orderId, Instant at);

    /** An admin issued the order's links again after a won dispute: no longer revoked. */
    Mono<Void> reinstate(String orderId, Instant at);

    /** A waiting line is to be issued at {@code issueAfter}. */
    Mono<Void> schedule(String orderId, String lineId, Instant issueAfter);

    Mono<Void> lineIssued(String orderId, String lineId, UUID tokenId, Instant at);

    /** The line could not be issued now: why, and when to try again. */
    Mono<Void> lineFailed(String orderId, String lineId, String error, String detail, Instant at, Instant retryAt);

    /** The line's link was re-sent as {@code tokenId}. */
    Mono<Void> lineToken(String orderId, String lineId, UUID tokenId);

    /** Lines not issued yet will not be: the order was revoked. */
    Mono<Void> cancelOpenLines(String orderId);

    /** Orders with a line due to be issued (pending, {@code issueAfter} reached), at most {@code limit}. */
    Flux<String> due(Instant now, int limit);

    /** Makes the failed lines of {@code sku} due now (the catalog just learned it); how many. */
    Mono<Long> retrySku(String sku, Instant now);
}
