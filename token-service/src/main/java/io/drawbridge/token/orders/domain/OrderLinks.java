package io.drawbridge.token.orders.domain;

import io.drawbridge.token.catalog.domain.Catalog;
import io.drawbridge.token.catalog.domain.Platform;
import io.drawbridge.token.catalog.domain.ProductReleased;
import io.drawbridge.token.catalog.domain.Release;
import io.drawbridge.token.config.OrderLinkProperties;
import io.drawbridge.token.config.TokenProperties;
import io.drawbridge.token.issue.domain.DeliveryStatus;
import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.issue.domain.IssueCommand;
import io.drawbridge.token.issue.domain.IssuedToken;
import io.drawbridge.token.issue.domain.TokenHistory;
import io.drawbridge.token.issue.domain.TokenIssuer;
import io.drawbridge.token.issue.domain.TokenRequestRejected;
import io.drawbridge.token.mail.domain.LinkDelivery;
import io.drawbridge.token.mail.domain.LinkMail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns orders into links and takes them back. One link per order line (allowing {@code max-downloads-per-unit ×
 * quantity} downloads), issued exactly once per line whoever asks first (the paid event, the storefront's claim,
 * the sweep) because each of them works under the order's row lock and only issues lines that are still open.
 * Links are emailed after the issuing transaction commits ({@link LinkDelivery}); a refund, dispute or cancelation
 * revokes every link of the order, grants in flight included, and is remembered if it comes before the payment.
 */
@Service
public class OrderLinks {

    private static final Logger log = LoggerFactory.getLogger(OrderLinks.class);
    private static final int SWEEP_BATCH = 100;

    private final OrderBook orders;
    private final TokenIssuer issuer;
    private final TokenHistory history;
    private final Catalog catalog;
    private final LinkDelivery delivery;
    private final TransactionalOperator tx;
    private final OrderLinkProperties properties;
    private final TokenProperties tokenProperties;
    private final Clock clock;

    OrderLinks(
            OrderBook orders,
            TokenIssuer issuer,
            TokenHistory history,
            Catalog catalog,
            LinkDelivery delivery,
            TransactionalOperator tx,
            OrderLinkProperties properties,
            TokenProperties tokenProperties,
            Clock clock) {
        this.orders = orders;
        this.issuer = issuer;
        this.history = history;
        this.catalog = catalog;
        this.delivery = delivery;
        this.tx = tx;
        this.properties = properties;
        this.tokenProperties = tokenProperties;
        this.clock = clock;
    }

    /**
     * Applies an order's new status inside the caller's transaction (the consumer's, with its processed-event
     * row). The email of the links it issued, to be dispatched once that transaction committed; empty when it
     * issued none. A status below the order's current one (late, repeated) changes nothing but is not an error.
     */
    public Mono<LinkMail> apply(OrderChange change) {
        Instant now = now();
        OrderStatus status = change.status();
        Instant paidAt = status == OrderStatus.PAID || status == OrderStatus.FULFILLED ? change.occurredAt() : null;
        return orders.insert(change, paidAt, now).flatMap(inserted -> orders.addLines(change.orderId(), change.lines())
                .then(orders.lock(change.orderId()))
                .flatMap(order -> {
                    OrderStatus current = order.knownStatus().orElse(null);
                    boolean advanced = inserted || current == null || current.canMoveTo(status);
                    if (!advanced) {
                        log.info(
                                "Order {} is {} already: {} does not change its status",
                                order.orderId(),
                                order.status(),
                                status.wire());
                    }
                    Mono<Void> moved;
                    if (advanced && !inserted) {
                        moved = orders.advance(
                                order.orderId(), status, change.customerEmail(), change.occurredAt(), paidAt, now);
                    } else if (current == status && newEmail(order, change)) {
                        // The same status again, published because order-sync learned more (the email): keep it.
                        moved = orders.updateEmail(order.orderId(), change.customerEmail(), now);
                    } else {
                        moved = Mono.empty();
                    }
                    Mono<Void> effect = advanced ? effectOf(order, status, now) : Mono.empty();
                    return moved.then(effect)
                            .then(orders.lock(order.orderId()))
                            .flatMap(updated -> issueWaiting(updated, now));
                }));
    }

    /**
     * A storefront's claim of an order's links (its success page): if the order is paid, {@code email} is the
     * order's and some line has no link yet, issues those links now (fixed to {@code platform} when given),
     * returns them (the only time their plaintext is handed out besides the email, which is also sent) and
     * emails them. Never a second set: lines with a link are not issued again.
     */
    public Mono<Claim> claim(String provider, String externalId, String email, String platform) {
        if (provider == null || provider.isBlank() || externalId == null || externalId.isBlank()) {
            return Mono.error(new OrderLinkRejected(
                    OrderLinkRejected.Kind.INVALID,
                    "validation_failed",
                    "provider and" + " external_id are required",
                    false));
        }
        if (!Platform.isValid(platform)) {
            return Mono.error(new OrderLinkRejected(
                    OrderLinkRejected.Kind.INVALID,
                    "validation_failed",
                    "platform must be one of windows, macos, linux, any",
                    false));
        }
        Instant now = now();
        Mono<Claim> claim = orders.lockByExternalId(provider.trim(), externalId.trim())
                .switchIfEmpty(Mono.error(() -> new OrderLinkRejected(
                        OrderLinkRejected.Kind.NOT_FOUND,
                        "order_not_found",
                        "no order " + externalId.trim() + " of " + provider.trim()
                                + " has reached token-service (yet): try again shortly",
                        true)))
                .flatMap(order -> {
                    if (!order.isFor(email)) {
                        return Mono.error(new OrderLinkRejected(
                                OrderLinkRejected.Kind.FORBIDDEN,
                                "email_mismatch",
                                "customer_email is not the order's",
                                false));
                    }
                    if (order.revoked()) {
                        return Mono.error(new OrderLinkRejected(
                                OrderLinkRejected.Kind.CONFLICT,
                                "order_revoked",
                                "the order is " + order.status() + ": its links are revoked",
                                false));
                    }
                    if (!order.entitled()) {
                        return Mono.error(new OrderLinkRejected(
                                OrderLinkRejected.Kind.CONFLICT,
                                "order_not_paid",
                                "the order is " + order.status() + ", not paid (yet): try again shortly",
                                true));
                    }
                    List<OrderLine> open =
                            order.lines().stream().filter(OrderLine::open).toList();
                    return issueLines(order, open, platform, now).flatMap(issued -> issuer.ofOrder(order.orderId())
                            .collectList()
                            .zipWith(orders.lock(order.orderId()))
                            .map(both -> new Claim(both.getT2(), issued, both.getT1())));
                });
        return tx.transactional(claim).doOnNext(done -> {
            if (!done.issued().isEmpty()) {
                log.info(
                        "Order {}: storefront claimed {} links",
                        done.order().orderId(),
                        done.issued().size());
                delivery.dispatch(mail(done.order(), done.issued(), false));
            }
        });
    }

    /**
     * Issues the lines that are due (a claim window ran out, or a failed line's retry time came); how many orders
     * it looked at. Each order in its own transaction, its email dispatched once that committed.
     */
    public Mono<Long> issueDue() {
        Instant now = now();
        return orders.due(now, SWEEP_BATCH)
                .concatMap(orderId -> tx.transactional(orders.lock(orderId).flatMap(order -> {
                            if (order.revoked()) {
                                return orders.cancelOpenLines(orderId).then(Mono.empty());
                            }
                            if (!order.entitled()) {
                                return Mono.empty();
                            }
                            List<OrderLine> due = order.lines().stream()
                                    .filter(line -> line.state() == OrderLine.State.PENDING
                                            && line.issueAfter() != null
                                            && !line.issueAfter().isAfter(now))
                                    .toList();
                            return issueLines(order, due, null, now)
                                    .filter(issued -> !issued.isEmpty())
                                    .map(issued -> mail(order, issued, false));
                        }))
                        .doOnNext(delivery::dispatch)
                        .onErrorResume(e -> {
                            log.warn("Could not issue the due lines of order {}", orderId, e);
                            return Mono.empty();
                        })
                        .thenReturn(orderId))
                .count();
    }

    /** The catalog learned {@code sku}: the lines that failed for want of it are issued now. */
    public Mono<Long> retry(String sku) {
        return orders.retrySku(sku, now()).flatMap(lines -> {
            if (lines == 0) {
                return Mono.just(0L);
            }
            log.info("Product {} is in the catalog now: retrying {} order lines", sku, lines);
            return issueDue();
        });
    }

    @EventListener
    void on(ProductReleased released) {
        retry(released.sku())
                .doOnError(e -> log.warn("Retrying the order lines of {} failed", released.sku(), e))
                .onErrorComplete()
                .subscribe();
    }

    /**
     * Re-sends a link, since its plaintext is not stored: revokes it and emails a new one for the same order line
     * with the downloads it had left (see {@link TokenIssuer#replace}). A link never received (email pending or
     * failed) gets its full lifetime again; one that was delivered keeps its expiry. Refused for a link of a revoked
     * order (refunded, disputed...).
     */
    public Mono<Resent> resend(UUID tokenId) {
        Mono<ResentMail> resend = issuer.find(tokenId)
                .flatMap(token -> lockOrderOf(token).flatMap(order -> {
                    if (order.isPresent() && order.get().revoked()) {
                        return Mono.error(orderRevoked(order.get()));
                    }
                    DeliveryStatus status = token.delivery().status();
                    boolean neverReceived = status == DeliveryStatus.PENDING || status == DeliveryStatus.FAILED;
                    return issuer.replace(tokenId, neverReceived).flatMap(issued -> relink(order, token, issued)
                            .then(title(token))
                            .map(title -> new ResentMail(
                                    new Resent(tokenId, issued),
                                    new LinkMail(
                                            token.customerEmail(),
                                            order.map(Order::externalId).orElse(token.orderId()),
                                            true,
                                            List.of(link(issued, title))))));
                }));
        return tx.transactional(resend)
                .doOnNext(done -> {
                    log.info(
                            "Link {} re-sent as {}",
                            tokenId,
                            done.resent().token().tokenId());
                    delivery.dispatch(done.mail());
                })
                .map(ResentMail::resent);
    }

    /**
     * After a won dispute (the order's links were revoked when it was opened), issues the order's links again: a
     * new link for every line whose link was revoked (the downloads it had left, a full lifetime from now) and for
     * every line that never had one, emailed together. The order is then no longer revoked.
     */
    public Mono<OrderDetails> reissue(String orderId) {
        Instant now = now();
        Mono<LinkMail> reissue = orders.lock(orderId)
                .switchIfEmpty(Mono.error(() -> orderNotFound(orderId)))
                .flatMap(order -> {
                    if (!order.reissuePending()) {
                        return Mono.error(new OrderLinkRejected(
                                OrderLinkRejected.Kind.CONFLICT,
                                "nothing_to_reissue",
                                "order " + orderId + " is " + order.status()
                                        + (order.revoked() ? " and revoked" : " and not revoked")
                                        + ": only the links of a won dispute are reissued",
                                false));
                    }
                    return issuer.ofOrder(orderId)
                            .collectMap(DownloadToken::id, Function.identity())
                            .flatMap(tokens -> Flux.fromIterable(sorted(order.lines()))
                                    .concatMap(line -> reissueLine(order, line, tokens, now))
                                    .collectList())
                            .flatMap(issued -> orders.reinstate(orderId, now)
                                    .then(Flux.fromIterable(issued)
                                            .concatMap(link -> history.record(
                                                    link.token().tokenId(), "reissued_after_dispute", null, null, now))
                                            .then())
                                    .thenReturn(mail(order, issued, true)));
                });
        return tx.transactional(reissue)
                .doOnNext(mail -> {
                    log.info(
                            "Order {}: reissued {} links after a won dispute",
                            orderId,
                            mail.links().size());
                    delivery.dispatch(mail);
                })
                .then(details(orderId));
    }

    public Mono<OrderDetails> details(String orderId) {
        return orders.find(orderId)
                .switchIfEmpty(Mono.error(() -> orderNotFound(orderId)))
                .flatMap(order -> issuer.ofOrder(orderId).collectList().map(links -> new OrderDetails(order, links)));
    }

    /** The order a token was issued for, if token-service knows it. */
    public Mono<Order> order(String orderId) {
        return orderId == null ? Mono.empty() : orders.find(orderId);
    }

    public Mono<OrderPage> search(OrderQuery query) {
        return orders.search(query);
    }

    private Mono<Void> effectOf(Order order, OrderStatus status, Instant now) {
        if (status.revokes()) {
            return revokeOrder(order, status.wire(), now);
        }
        if (status == OrderStatus.DISPUTE_WON && order.revoked()) {
            log.info("Order {}: dispute won, its links stay revoked until an admin reissues them", order.orderId());
            return orders.disputeWon(order.orderId(), now)
                    .thenMany(issuer.ofOrder(order.orderId()))
                    .filter(token -> token.delivery().replacedBy() == null)
                    .concatMap(token -> history.record(
                            token.id(),
                            "dispute_won",
                            null,
                            "the order's dispute was won: reissue with POST /api/v1/order-links/" + order.orderId()
                                    + "/reissue",
                            now))
                    .then();
        }
        return Mono.empty();
    }

    /** Revokes every live link of the order (their grants too) and cancels the lines not issued yet. */
    private Mono<Void> revokeOrder(Order order, String reason, Instant now) {
        return orders.revoke(order.orderId(), reason, now)
                .then(orders.cancelOpenLines(order.orderId()))
                .thenMany(issuer.ofOrder(order.orderId()))
                .filter(token -> token.revokedAt() == null)
                .concatMap(token -> issuer.revoke(token.id(), reason))
                .count()
                .doOnNext(revoked -> log.info("Order {} {}: revoked {} links", order.orderId(), reason, revoked))
                .then();
    }

    /**
     * After an event: the waiting lines of a paid order are issued now, or after the provider's claim window; lines
     * that failed before are tried again at once (the event may bring what they lacked, such as the email). The open
     * lines of a revoked order are canceled.
     */
    private Mono<LinkMail> issueWaiting(Order order, Instant now) {
        if (order.revoked()) {
            // Lines that only now became known (a later event listed more) are not issued either.
            return orders.cancelOpenLines(order.orderId()).then(Mono.empty());
        }
        if (!order.entitled()) {
            return Mono.empty();
        }
        List<OrderLine> waiting = order.lines().stream()
                .filter(line -> line.state() == OrderLine.State.WAITING)
                .toList();
        List<OrderLine> toIssue = new ArrayList<>(order.lines().stream()
                .filter(line -> line.state() == OrderLine.State.PENDING && line.lastError() != null)
                .toList());
        Duration window = properties.claimWindowOf(order.provider());
        Mono<Void> scheduled = Mono.empty();
        if (window.isZero()) {
            toIssue.addAll(waiting);
        } else if (!waiting.isEmpty()) {
            Instant after = now.plus(window);
            scheduled = Flux.fromIterable(waiting)
                    .concatMap(line -> orders.schedule(order.orderId(), line.lineId(), after))
                    .then(Mono.fromRunnable(() -> log.info(
                            "Order {} paid: {} links wait until {} for the storefront to claim them",
                            order.orderId(),
                            waiting.size(),
                            after)));
        }
        if (toIssue.isEmpty()) {
            return scheduled.then(Mono.empty());
        }
        return scheduled.then(issueLines(order, toIssue, null, now)
                .filter(issued -> !issued.isEmpty())
                .map(issued -> mail(order, issued, false)));
    }

    private static boolean newEmail(Order order, OrderChange change) {
        return change.customerEmail() != null
                && !change.customerEmail().isBlank()
                && !change.customerEmail().trim().equals(order.customerEmail());
    }

    /** Issues each line (in line order); a line that cannot be issued is recorded for a retry, not dropped. */
    private Mono<List<IssuedLink>> issueLines(Order order, List<OrderLine> lines, String platform, Instant now) {
        return Flux.fromIterable(sorted(lines))
                .concatMap(line -> issueLine(order, line, platform, now))
                .collectList();
    }

    private Mono<IssuedLink> issueLine(Order order, OrderLine line, String platform, Instant now) {
        IssueCommand command = new IssueCommand(
                order.customerEmail(),
                order.orderId(),
                line.lineId(),
                line.sku(),
                List.of(),
                platform,
                maxDownloads(line),
                properties.expiresIn(),
                false,
                null);
        return issuer.issueForOrder(command)
                .flatMap(issued -> orders.lineIssued(order.orderId(), line.lineId(), issued.tokenId(), now)
                        .then(productName(line.sku()))
                        .map(title -> new IssuedLink(line.lineId(), line.sku(), title, issued)))
                .onErrorResume(TokenRequestRejected.class, rejected -> {
                    Instant retryAt = now.plus(properties.retryInterval());
                    log.warn(
                            "Order {} line {}: no link yet ({}), retrying at {} or when the catalog changes",
                            order.orderId(),
                            line.lineId(),
                            rejected.error(),
                            retryAt);
                    return orders.lineFailed(
                                    order.orderId(), line.lineId(), rejected.error(), rejected.detail(), now, retryAt)
                            .then(Mono.empty());
                });
    }

    private Mono<IssuedLink> reissueLine(Order order, OrderLine line, Map<UUID, DownloadToken> tokens, Instant now) {
        if (line.state() != OrderLine.State.ISSUED) {
            return issueLine(order, line, null, now);
        }
        DownloadToken current = line.tokenId() == null ? null : tokens.get(line.tokenId());
        if (current == null || current.revokedAt() == null || current.delivery().replacedBy() != null) {
            return Mono.empty();
        }
        return issuer.replace(current.id(), true)
                .flatMap(issued -> orders.lineToken(order.orderId(), line.lineId(), issued.tokenId())
                        .then(productName(line.sku()))
                        .map(title -> new IssuedLink(line.lineId(), line.sku(), title, issued)))
                .onErrorResume(TokenRequestRejected.class, rejected -> {
                    log.warn(
                            "Order {} line {}: link {} not reissued ({})",
                            order.orderId(),
                            line.lineId(),
                            current.id(),
                            rejected.error());
                    return Mono.empty();
                });
    }

    private Mono<Optional<Order>> lockOrderOf(DownloadToken token) {
        return (token.orderId() == null ? Mono.<Order>empty() : orders.lock(token.orderId()))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty());
    }

    private Mono<Void> relink(Optional<Order> order, DownloadToken old, IssuedToken issued) {
        if (order.isEmpty() || old.orderLineId() == null) {
            return Mono.empty();
        }
        boolean current = order.get().lines().stream()
                .anyMatch(line ->
                        line.lineId().equals(old.orderLineId()) && old.id().equals(line.tokenId()));
        return current ? orders.lineToken(order.get().orderId(), old.orderLineId(), issued.tokenId()) : Mono.empty();
    }

    private Mono<String> title(DownloadToken token) {
        if (token.forProduct()) {
            return productName(token.productSku());
        }
        return Mono.just(
                token.fileIds().size() == 1
                        ? "Your file"
                        : "Your " + token.fileIds().size() + " files");
    }

    private Mono<String> productName(String sku) {
        return catalog.currentRelease(sku).map(Release::productName).defaultIfEmpty(sku);
    }

    private int maxDownloads(OrderLine line) {
        long wanted = (long) properties.maxDownloadsPerUnit() * Math.max(1, line.quantity());
        return (int) Math.min(wanted, tokenProperties.maxDownloadsCeiling());
    }

    private static LinkMail mail(Order order, List<IssuedLink> issued, boolean replacement) {
        return new LinkMail(
                order.customerEmail(),
                order.externalId(),
                replacement,
                issued.stream().map(link -> link(link.token(), link.title())).toList());
    }

    private static LinkMail.Link link(IssuedToken issued, String title) {
        return new LinkMail.Link(issued.tokenId(), title, issued.link(), issued.expiresAt(), issued.maxDownloads());
    }

    private static List<OrderLine> sorted(List<OrderLine> lines) {
        return lines.stream().sorted(Comparator.comparing(OrderLine::lineId)).toList();
    }

    private static OrderLinkRejected orderNotFound(String orderId) {
        return new OrderLinkRejected(OrderLinkRejected.Kind.NOT_FOUND, "order_not_found", "no order " + orderId, false);
    }

    private static OrderLinkRejected orderRevoked(Order order) {
        String hint = order.reissuePending()
                ? "; the dispute was won: reissue the order's links with POST /api/v1/order-links/" + order.orderId()
                        + "/reissue"
                : "";
        return new OrderLinkRejected(
                OrderLinkRejected.Kind.CONFLICT,
                "order_revoked",
                "order " + order.orderId() + " is " + order.status() + " and its links are revoked" + hint,
                false);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A re-sent link and its email, until the transaction committed. */
    private record ResentMail(Resent resent, LinkMail mail) {}
}
