package io.drawbridge.order.lookup.web;

import io.drawbridge.order.ledger.domain.OrderStatus;
import io.drawbridge.order.lookup.persistence.OrderQueries;
import io.drawbridge.order.lookup.persistence.OrderQueries.Filter;
import io.drawbridge.order.lookup.web.OrderViews.OrderPage;
import io.drawbridge.order.lookup.web.OrderViews.OrderView;
import io.drawbridge.order.lookup.web.OrderViews.StatusChangeView;
import io.drawbridge.platform.web.ProblemException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Order lookup for admins and support ("did this customer pay? was it refunded?"). Behind the platform's admin
 * bearer filter ({@code /api/v1/**}).
 */
@RestController
@RequestMapping("/api/v1/orders")
class OrderLookupController {

    private static final int MAX_SIZE = 100;

    private final OrderQueries queries;

    OrderLookupController(OrderQueries queries) {
        this.queries = queries;
    }

    @GetMapping
    Mono<OrderPage> list(
            @RequestParam(required = false) String email,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        if (status != null
                && !status.isBlank()
                && OrderStatus.fromWireName(status).isEmpty()) {
            return Mono.error(new ProblemException(
                    HttpStatus.BAD_REQUEST, "validation_failed", "status must be one of " + statuses()));
        }
        if (page < 0 || size < 1 || size > MAX_SIZE) {
            return Mono.error(new ProblemException(
                    HttpStatus.BAD_REQUEST,
                    "validation_failed",
                    "page must be >= 0 and size between 1 and " + MAX_SIZE));
        }
        Filter filter = new Filter(blankToNull(email), blankToNull(status));
        return queries.find(filter, page, size)
                .map(row -> OrderView.of(row, null))
                .collectList()
                .zipWith(queries.count(filter))
                .map(result -> new OrderPage(result.getT1(), page, size, result.getT2()));
    }

    @GetMapping("/{id}")
    Mono<OrderView> get(@PathVariable String id) {
        UUID orderId;
        try {
            orderId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Mono.error(notFound());
        }
        return queries.byId(orderId).switchIfEmpty(Mono.error(notFound())).flatMap(row -> queries.history(orderId)
                .map(StatusChangeView::of)
                .collectList()
                .map(history -> OrderView.of(row, history)));
    }

    private static ProblemException notFound() {
        return new ProblemException(HttpStatus.NOT_FOUND, "order_not_found", "no order with this id");
    }

    private static String statuses() {
        return java.util.Arrays.stream(OrderStatus.values())
                .map(OrderStatus::wireName)
                .toList()
                .toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
