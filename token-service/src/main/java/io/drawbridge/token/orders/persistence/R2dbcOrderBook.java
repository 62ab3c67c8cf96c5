package io.drawbridge.token.orders.persistence;

import io.drawbridge.token.orders.domain.Order;
import io.drawbridge.token.orders.domain.OrderBook;
import io.drawbridge.token.orders.domain.OrderChange;
import io.drawbridge.token.orders.domain.OrderLine;
import io.drawbridge.token.orders.domain.OrderPage;
import io.drawbridge.token.orders.domain.OrderQuery;
import io.drawbridge.token.orders.domain.OrderStatus;
import io.drawbridge.token.persistence.PagedSelect;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The order read model in {@code customer_order} and {@code order_line}. */
@Repository
class R2dbcOrderBook implements OrderBook {

    private static final String ORDER_COLUMNS = "order_id, provider, external_id, customer_email, status, status_at,"
            + " paid_at, revoked_at, revoke_reason, dispute_won_at, reinstated_at, created_at, updated_at";
    private static final String LINE_COLUMNS = "order_id, line_id, sku, quantity, state, token_id, issue_after,"
            + " attempts, last_error, last_error_detail, last_attempt_at, issued_at";
    private static final String ATTENTION = "((o.revoked_at IS NOT NULL AND o.status = 'dispute_won')"
            + " OR EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.order_id AND l.state = 'pending'"
            + " AND l.last_error IS NOT NULL)"
            + " OR EXISTS (SELECT 1 FROM token t WHERE t.order_id = o.order_id AND t.source = 'order'"
            + " AND t.delivery_status = 'failed' AND t.replaced_by IS NULL AND t.revoked_at IS NULL))";

    private final DatabaseClient db;

    R2dbcOrderBook(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Boolean> insert(OrderChange change, Instant paidAt, Instant now) {
        GenericExecuteSpec spec = db.sql("INSERT INTO customer_order (order_id, provider, external_id, customer_email,"
                        + " status, status_at, paid_at, created_at, updated_at) VALUES (:orderId, :provider,"
                        + " :externalId, :email, :status, :statusAt, :paidAt, :now, :now)"
                        + " ON CONFLICT (order_id) DO NOTHING")
                .bind("orderId", change.orderId())
                .bind("provider", change.provider())
                .bind("externalId", change.externalId())
                .bind("status", change.status().wire())
                .bind("statusAt", change.occurredAt() == null ? now : change.occurredAt())
                .bind("now", now);
        spec = nullable(spec, "email", change.customerEmail());
        spec = paidAt == null ? spec.bindNull("paidAt", Instant.class) : spec.bind("paidAt", paidAt);
        return spec.fetch().rowsUpdated().map(rows -> rows > 0);
    }

    @Override
    public Mono<Void> addLines(String orderId, List<OrderChange.Line> lines) {
        return Flux.fromIterable(lines)
                .concatMap(line -> db.sql("INSERT INTO order_line (order_id, line_id, sku, quantity, state)"
                                + " VALUES (:orderId, :lineId, :sku, :quantity, 'waiting') ON CONFLICT DO NOTHING")
                        .bind("orderId", orderId)
                        .bind("lineId", line.lineId())
                        .bind("sku", line.sku())
                        .bind("quantity", line.quantity())
                        .fetch()
                        .rowsUpdated())
                .then();
    }

    @Override
    public Mono<Order> lock(String orderId) {
        return withLines(db.sql("SELECT " + ORDER_COLUMNS + " FROM customer_order WHERE order_id = :id FOR UPDATE")
                .bind("id", orderId)
                .map(R2dbcOrderBook::order)
                .one());
    }

    @Override
    public Mono<Order> lockByExternalId(String provider, String externalId) {
        return withLines(db.sql("SELECT " + ORDER_COLUMNS + " FROM customer_order"
                        + " WHERE provider = :provider AND external_id = :externalId FOR UPDATE")
                .bind("provider", provider)
                .bind("externalId", externalId)
                .map(R2dbcOrderBook::order)
                .one());
    }

    @Override
    public Mono<Order> find(String orderId) {
        return withLines(db.sql("SELECT " + ORDER_COLUMNS + " FROM customer_order WHERE order_id = :id")
                .bind("id", orderId)
                .map(R2dbcOrderBook::order)
                .one());
    }

    @Override
    public Mono<OrderPage> search(OrderQuery query) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (query.email() != null && !query.email().isBlank()) {
            where.add("lower(o.customer_email) = lower(:email)");
            params.put("email", query.email().trim());
        }
        if (query.attention()) {
            where.add(ATTENTION);
        }
        String condition = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        return new PagedSelect(
                        "SELECT " + ORDER_COLUMNS + " FROM customer_order o",
                        "customer_order o",
                        condition,
                        params,
                        "o.updated_at DESC, o.order_id")
                .fetch(
                        db,
                        query.page(),
                        query.size(),
                        R2dbcOrderBook::order,
                        this::withLines,
                        (page, count) -> new OrderPage(page, query.page(), query.size(), count));
    }

    @Override
    public Mono<Void> advance(
            String orderId, OrderStatus status, String customerEmail, Instant statusAt, Instant paidAt, Instant now) {
        GenericExecuteSpec spec = db.sql("UPDATE customer_order SET status = :status, status_at = :statusAt,"
                        + " customer_email = coalesce(:email, customer_email), paid_at = coalesce(paid_at, :paidAt),"
                        + " updated_at = :now WHERE order_id = :id")
                .bind("id", orderId)
                .bind("status", status.wire())
                .bind("statusAt", statusAt == null ? now : statusAt)
                .bind("now", now);
        spec = nullable(spec, "email", customerEmail);
        spec = paidAt == null ? spec.bindNull("paidAt", Instant.class) : spec.bind("paidAt", paidAt);
        return spec.then();
    }

    @Override
    public Mono<Void> updateEmail(String orderId, String customerEmail, Instant now) {
        return db.sql("UPDATE customer_order SET customer_email = :email, updated_at = :now WHERE order_id = :id")
                .bind("id", orderId)
                .bind("email", customerEmail.trim())
                .bind("now", now)
                .then();
    }

    @Override
    public Mono<Void> revoke(String orderId, String reason, Instant at) {
        return db.sql("UPDATE customer_order SET revoked_at = coalesce(revoked_at, :at),"
                        + " revoke_reason = coalesce(revoke_reason, :reason), updated_at = :at WHERE order_id = :id")
                .bind("id", orderId)
                .bind("reason", reason)
                .bind("at", at)
                .then();
    }

    @Override
    public Mono<Void> disputeWon(String orderId, Instant at) {
        return db.sql("UPDATE customer_order SET dispute_won_at = :at, updated_at = :at WHERE order_id = :id")
                .bind("id", orderId)
                .bind("at", at)
                .then();
    }

    @Override
    public Mono<Void> reinstate(String orderId, Instant at) {
        return db.sql("UPDATE customer_order SET revoked_at = NULL, revoke_reason = NULL, reinstated_at = :at,"
                        + " updated_at = :at WHERE order_id = :id")
                .bind("id", orderId)
                .bind("at", at)
                .then();
    }

    @Override
    public Mono<Void> schedule(String orderId, String lineId, Instant issueAfter) {
        return db.sql("UPDATE order_line SET state = 'pending', issue_after = :after"
                        + " WHERE order_id = :orderId AND line_id = :lineId AND state = 'waiting'")
                .bind("orderId", orderId)
                .bind("lineId", lineId)
                .bind("after", issueAfter)
                .then();
    }

    @Override
    public Mono<Void> lineIssued(String orderId, String lineId, UUID tokenId, Instant at) {
        return db.sql("UPDATE order_line SET state = 'issued', token_id = :tokenId, issued_at = :at,"
                        + " attempts = attempts + 1, last_attempt_at = :at, issue_after = NULL, last_error = NULL,"
                        + " last_error_detail = NULL WHERE order_id = :orderId AND line_id = :lineId")
                .bind("orderId", orderId)
                .bind("lineId", lineId)
                .bind("tokenId", tokenId)
                .bind("at", at)
                .then();
    }

    @Override
    public Mono<Void> lineFailed(
            String orderId, String lineId, String error, String detail, Instant at, Instant retryAt) {
        GenericExecuteSpec spec = db.sql("UPDATE order_line SET state = 'pending', attempts = attempts + 1,"
                        + " last_error = :error, last_error_detail = :detail, last_attempt_at = :at,"
                        + " issue_after = :retryAt WHERE order_id = :orderId AND line_id = :lineId")
                .bind("orderId", orderId)
                .bind("lineId", lineId)
                .bind("error", error)
                .bind("at", at)
                .bind("retryAt", retryAt);
        spec = nullable(spec, "detail", detail);
        return spec.then();
    }

    @Override
    public Mono<Void> lineToken(String orderId, String lineId, UUID tokenId) {
        return db.sql("UPDATE order_line SET token_id = :tokenId, state = 'issued'"
                        + " WHERE order_id = :orderId AND line_id = :lineId")
                .bind("orderId", orderId)
                .bind("lineId", lineId)
                .bind("tokenId", tokenId)
                .then();
    }

    @Override
    public Mono<Void> cancelOpenLines(String orderId) {
        return db.sql("UPDATE order_line SET state = 'canceled', issue_after = NULL"
                        + " WHERE order_id = :orderId AND state IN ('waiting', 'pending')")
                .bind("orderId", orderId)
                .then();
    }

    @Override
    public Flux<String> due(Instant now, int limit) {
        return db.sql("SELECT order_id FROM order_line WHERE state = 'pending' AND issue_after <= :now"
                        + " GROUP BY order_id ORDER BY min(issue_after) LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit)
                .map(row -> row.get("order_id", String.class))
                .all();
    }

    @Override
    public Mono<Long> retrySku(String sku, Instant now) {
        return db.sql("UPDATE order_line SET issue_after = :now"
                        + " WHERE state = 'pending' AND sku = :sku AND last_error IS NOT NULL")
                .bind("sku", sku)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    private Mono<Order> withLines(Mono<Order> order) {
        return order.flatMap(found -> withLines(List.of(found)).map(list -> list.get(0)));
    }

    private Mono<List<Order>> withLines(List<Order> orders) {
        if (orders.isEmpty()) {
            return Mono.just(orders);
        }
        return db.sql("SELECT " + LINE_COLUMNS + " FROM order_line WHERE order_id = ANY(:ids) ORDER BY line_id")
                .bind("ids", orders.stream().map(Order::orderId).toArray(String[]::new))
                .map(row -> Map.entry(row.get("order_id", String.class), line(row)))
                .all()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())))
                .map(lines -> orders.stream()
                        .map(order -> withLines(order, lines.getOrDefault(order.orderId(), List.of())))
                        .toList());
    }

    private static Order withLines(Order o, List<OrderLine> lines) {
        return new Order(
                o.orderId(),
                o.provider(),
                o.externalId(),
                o.customerEmail(),
                o.status(),
                o.statusAt(),
                o.paidAt(),
                o.revokedAt(),
                o.revokeReason(),
                o.disputeWonAt(),
                o.reinstatedAt(),
                o.createdAt(),
                o.updatedAt(),
                lines);
    }

    private static Order order(Readable row) {
        return new Order(
                row.get("order_id", String.class),
                row.get("provider", String.class),
                row.get("external_id", String.class),
                row.get("customer_email", String.class),
                row.get("status", String.class),
                row.get("status_at", Instant.class),
                row.get("paid_at", Instant.class),
                row.get("revoked_at", Instant.class),
                row.get("revoke_reason", String.class),
                row.get("dispute_won_at", Instant.class),
                row.get("reinstated_at", Instant.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class),
                List.of());
    }

    private static OrderLine line(Readable row) {
        return new OrderLine(
                row.get("line_id", String.class),
                row.get("sku", String.class),
                row.get("quantity", Integer.class),
                OrderLine.State.of(row.get("state", String.class)),
                row.get("token_id", UUID.class),
                row.get("issue_after", Instant.class),
                row.get("attempts", Integer.class),
                row.get("last_error", String.class),
                row.get("last_error_detail", String.class),
                row.get("last_attempt_at", Instant.class),
                row.get("issued_at", Instant.class));
    }

    private static GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
