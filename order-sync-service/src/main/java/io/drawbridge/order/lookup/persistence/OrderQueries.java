package io.drawbridge.order.lookup.persistence;

import io.drawbridge.order.ledger.domain.LineItem;
import io.drawbridge.order.ledger.persistence.OrderStore;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Read side of the orders tables for the admin lookup API. */
@Repository
public class OrderQueries {

    private static final String COLUMNS =
            """
            id, provider, external_id, customer_email, status, lines::text AS lines, amount_total, amount_refunded,
            currency, charge_id, checkout_session_id, attention, status_changed_at, created_at, updated_at
            """;

    private final DatabaseClient db;
    private final OrderStore store;

    public OrderQueries(DatabaseClient db, OrderStore store) {
        this.db = db;
        this.store = store;
    }

    /** An order as the admin API shows it. */
    public record OrderRow(
            UUID id,
            String provider,
            String externalId,
            String customerEmail,
            String status,
            List<LineItem> lines,
            Long amountTotal,
            Long amountRefunded,
            String currency,
            String chargeId,
            String checkoutSessionId,
            String attention,
            Instant statusChangedAt,
            Instant createdAt,
            Instant updatedAt) {}

    /** One entry of an order's status history. */
    public record StatusChangeRow(
            String status, String previousStatus, String source, String sourceRef, Instant occurredAt) {}

    /** Filters of the list; null fields do not filter. */
    public record Filter(String email, String status) {}

    public Flux<OrderRow> find(Filter filter, int page, int size) {
        List<String> conditions = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM orders" + where(filter, conditions)
                + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset";
        return bind(db.sql(sql), filter)
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(this::order)
                .all();
    }

    public Mono<Long> count(Filter filter) {
        String sql = "SELECT count(*) AS total FROM orders" + where(filter, new ArrayList<>());
        return bind(db.sql(sql), filter)
                .map(row -> row.get("total", Long.class))
                .one();
    }

    public Mono<OrderRow> byId(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM orders WHERE id = :id")
                .bind("id", id)
                .map(this::order)
                .one();
    }

    public Flux<StatusChangeRow> history(UUID orderId) {
        return db.sql(
                        """
                        SELECT status, previous_status, source, source_ref, occurred_at
                          FROM order_status_changes WHERE order_id = :id ORDER BY id
                        """)
                .bind("id", orderId)
                .map(row -> new StatusChangeRow(
                        row.get("status", String.class),
                        row.get("previous_status", String.class),
                        row.get("source", String.class),
                        row.get("source_ref", String.class),
                        row.get("occurred_at", Instant.class)))
                .all();
    }

    private static String where(Filter filter, List<String> conditions) {
        if (filter.email() != null) {
            conditions.add("lower(customer_email) = lower(:email)");
        }
        if (filter.status() != null) {
            conditions.add("status = :status");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static GenericExecuteSpec bind(GenericExecuteSpec spec, Filter filter) {
        if (filter.email() != null) {
            spec = spec.bind("email", filter.email());
        }
        if (filter.status() != null) {
            spec = spec.bind("status", filter.status());
        }
        return spec;
    }

    private OrderRow order(Readable row) {
        return new OrderRow(
                row.get("id", UUID.class),
                row.get("provider", String.class),
                row.get("external_id", String.class),
                row.get("customer_email", String.class),
                row.get("status", String.class),
                store.readLines(row.get("lines", String.class)),
                row.get("amount_total", Long.class),
                row.get("amount_refunded", Long.class),
                row.get("currency", String.class),
                row.get("charge_id", String.class),
                row.get("checkout_session_id", String.class),
                row.get("attention", String.class),
                row.get("status_changed_at", Instant.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }
}
