package io.drawbridge.audit.timeline.web;

import io.drawbridge.audit.timeline.domain.OrderTimeline;
import io.drawbridge.audit.timeline.persistence.OrderTimelineQuery;
import io.drawbridge.platform.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/orders/{orderId}/timeline}: what happened to one order, in order, for support and disputes. */
@RestController
class OrderTimelineController {

    private final OrderTimelineQuery query;

    OrderTimelineController(OrderTimelineQuery query) {
        this.query = query;
    }

    @GetMapping(path = "/api/v1/orders/{orderId}/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<OrderTimeline> timeline(@PathVariable String orderId) {
        return query.events(orderId)
                .filter(events -> !events.isEmpty())
                .map(events -> new OrderTimeline(orderId, events))
                .switchIfEmpty(Mono.error(new ProblemException(
                        HttpStatus.NOT_FOUND, "order_not_found", "No event of this order has been recorded.")));
    }
}
