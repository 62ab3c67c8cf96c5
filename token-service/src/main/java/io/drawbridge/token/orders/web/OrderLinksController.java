package io.drawbridge.token.orders.web;

import io.drawbridge.platform.web.ProblemException;
import io.drawbridge.token.issue.domain.TokenRequestRejected;
import io.drawbridge.token.orders.domain.Claim;
import io.drawbridge.token.orders.domain.OrderLine;
import io.drawbridge.token.orders.domain.OrderLinkRejected;
import io.drawbridge.token.orders.domain.OrderLinks;
import io.drawbridge.token.orders.domain.OrderQuery;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The admin API of order links ({@code Bearer DRAWBRIDGE_ADMIN_TOKEN}): the storefront's claim of a paid order's
 * links for its success page, re-sending a link whose email failed, and the order view with what needs an admin
 * (lines that could not be issued, undelivered links, a won dispute to reissue).
 */
@RestController
class OrderLinksController {

    static final int MAX_PAGE_SIZE = 200;
    /** How soon a storefront may ask again for an order token-service has not heard of, or not as paid. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final OrderLinks links;
    private final Clock clock;

    OrderLinksController(OrderLinks links, Clock clock) {
        this.links = links;
        this.clock = clock;
    }

    /**
     * The order's links for the storefront's success page. {@code 201} with the links this call issued (token and
     * link included, also emailed); {@code 409 already_issued} when every line has its link already (its plaintext
     * is not stored: the customer has it by email, an admin can re-send it), with those links' ids and delivery.
     */
    @PostMapping("/api/v1/tokens/for-order")
    Mono<ResponseEntity<?>> forOrder(@Valid @RequestBody ForOrderRequest request, ServerHttpRequest http) {
        return links.claim(request.provider(), request.externalId(), request.customerEmail(), request.platform())
                .<ResponseEntity<?>>map(claim -> claimed(claim, http))
                .onErrorMap(OrderLinkRejected.class, OrderLinksController::problem);
    }

    /**
     * Revokes the link and emails a new one for the same order line with the downloads it had left ({@code 202}:
     * the email goes out in the background; the new link's {@code delivery} says how it went).
     */
    @PostMapping("/api/v1/tokens/{tokenId}/resend")
    Mono<ResponseEntity<OrderViews.ResendView>> resend(@PathVariable UUID tokenId) {
        return links.resend(tokenId)
                .map(resent -> ResponseEntity.accepted()
                        .location(URI.create("/api/v1/tokens/" + resent.token().tokenId()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(OrderViews.resend(resent)))
                .onErrorMap(OrderLinkRejected.class, OrderLinksController::problem)
                .onErrorMap(TokenRequestRejected.class, OrderLinksController::problem);
    }

    @GetMapping("/api/v1/order-links")
    Mono<OrderViews.Page> list(
            @RequestParam(required = false) String email,
            @RequestParam(defaultValue = "false") boolean attention,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ProblemException(
                    HttpStatus.BAD_REQUEST,
                    "validation_failed",
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        return links.search(new OrderQuery(email, attention, page, size)).map(OrderViews::page);
    }

    @GetMapping("/api/v1/order-links/{orderId}")
    Mono<OrderViews.Details> get(@PathVariable String orderId) {
        return links.details(orderId)
                .map(details -> OrderViews.details(details, clock.instant()))
                .onErrorMap(OrderLinkRejected.class, OrderLinksController::problem);
    }

    /** After a won dispute: the order's links again, emailed to the customer. */
    @PostMapping("/api/v1/order-links/{orderId}/reissue")
    Mono<OrderViews.Details> reissue(@PathVariable String orderId) {
        return links.reissue(orderId)
                .map(details -> OrderViews.details(details, clock.instant()))
                .onErrorMap(OrderLinkRejected.class, OrderLinksController::problem);
    }

    private ResponseEntity<?> claimed(Claim claim, ServerHttpRequest http) {
        if (!claim.issued().isEmpty()) {
            return ResponseEntity.status(HttpStatus.CREATED)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(OrderViews.claim(claim));
        }
        boolean waiting = claim.order().lines().stream().anyMatch(OrderLine::open);
        Map<String, Object> problem = new LinkedHashMap<>();
        String error = waiting ? "links_pending" : "already_issued";
        problem.put("type", "https://drawbridge.dev/problems/" + error);
        problem.put("title", HttpStatus.CONFLICT.getReasonPhrase());
        problem.put("status", HttpStatus.CONFLICT.value());
        problem.put(
                "detail",
                waiting
                        ? "Some of the order's links cannot be issued yet (see lines: a product the catalog does not"
                                + " know yet); they are retried and emailed to the customer when issued."
                        : "The order's links were issued already and emailed to the customer. Plaintext links are"
                                + " not stored, so they cannot be shown again; to send the customer a new link (the"
                                + " old one stops working), POST /api/v1/tokens/{token_id}/resend.");
        problem.put("instance", http.getPath().value());
        problem.put("error", error);
        problem.put("order_id", claim.order().orderId());
        problem.put("links", OrderViews.currentLinks(claim.links()));
        problem.put(
                "lines", claim.order().lines().stream().map(OrderViews::line).toList());
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header("Cache-Control", "no-store")
                .body(problem);
    }

    static ProblemException problem(OrderLinkRejected rejected) {
        HttpStatus status =
                switch (rejected.kind()) {
                    case INVALID -> HttpStatus.BAD_REQUEST;
                    case NOT_FOUND -> HttpStatus.NOT_FOUND;
                    case FORBIDDEN -> HttpStatus.FORBIDDEN;
                    case CONFLICT -> HttpStatus.CONFLICT;
                };
        ProblemException problem = new ProblemException(status, rejected.error(), rejected.detail());
        return rejected.retryLater() ? problem.retryAfter(RETRY_AFTER) : problem;
    }

    static ProblemException problem(TokenRequestRejected rejected) {
        HttpStatus status =
                switch (rejected.kind()) {
                    case INVALID -> HttpStatus.BAD_REQUEST;
                    case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
                    case NOT_FOUND -> HttpStatus.NOT_FOUND;
                    case CONFLICT -> HttpStatus.CONFLICT;
                };
        return new ProblemException(status, rejected.error(), rejected.detail());
    }
}
