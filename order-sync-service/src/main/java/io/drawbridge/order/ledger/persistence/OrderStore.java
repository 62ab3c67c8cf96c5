package io.drawbridge.order.ledger.persistence;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.drawbridge.order.ledger.domain.LineItem;
import io.drawbridge.order.ledger.domain.OrderSnapshot;
import io.drawbridge.order.ledger.domain.OrderStatus;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ledger's tables: orders, their status history and the customers they belong to. Meant to be called inside
 * the ledger's transaction; {@link #lock} takes the row lock that serializes concurrent facts about one order.
 */
@Repository
public class OrderStore {

    private static final TypeReference<List<StoredLine>> LINES = new TypeReference<>() {};

    private final DatabaseClient db;
    private final JsonMapper json;

    public OrderStore(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Creates or refreshes a customer; returns its id. Known values are kept when the new ones are null. */
    public Mono<UUID> upsertCustomer(String provider, String externalId, String email, String name) {
        GenericExecuteSpec spec = db.sql(
                        """
                        INSERT INTO customers (id, provider, external_id, email, name)
                        VALUES (:id, :provider, :externalId, :email, :name)
                        ON CONFLICT (provider, external_id) DO UPDATE
                           SET email = COALESCE(EXCLUDED.email, customers.email),
                               name = COALESCE(EXCLUDED.name, customers.name),
                               updated_at = now()
                        RETURNING id
                        """)
                .bind("id", UUID.randomUUID())
                .bind("provider", provider)
                .bind("externalId", externalId);
        spec = nullable(spec, "email", email, String.class);
        spec = nullable(spec, "name", name, String.class);
        return spec.map(row -> row.get("id", UUID.class)).one();
    }

    /** The customer id an email is known under for a provider without customer objects. */
    public static String emailCustomerId(String email) {
        return "email:" + email.toLowerCase(Locale.ROOT);
    }

    /** Inserts a new order unless one with the same provider and external id exists; true when inserted. */
    public Mono<Boolean> insert(OrderSnapshot order, UUID customerId, Instant statusChangedAt) {
        GenericExecuteSpec spec = db.sql(
                        """
                        INSERT INTO orders (id, provider, external_id, customer_id, customer_email, status, lines,
                                            amount_total, amount_refunded, currency, charge_id, checkout_session_id,
                                            attention, status_changed_at)
                        VALUES (:id, :provider, :externalId, :customerId, :email, :status, CAST(:lines AS jsonb),
                                :amountTotal, :amountRefunded, :currency, :chargeId, :sessionId,
                                :attention, :statusChangedAt)
                        ON CONFLICT (provider, external_id) DO NOTHING
                        """)
                .bind("id", order.id())
                .bind("provider", order.provider())
                .bind("externalId", order.externalId())
                .bind("statusChangedAt", statusChangedAt);
        spec = nullable(spec, "customerId", customerId, UUID.class);
        return bindDetails(spec, order).fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Reads an order and locks its row until the transaction ends. */
    public Mono<OrderSnapshot> lock(String provider, String externalId) {
        return db.sql(
                        """
                        SELECT id, provider, external_id, status, customer_email, lines::text AS lines,
                               amount_total, amount_refunded, currency, charge_id, checkout_session_id
                          FROM orders
                         WHERE provider = :provider AND external_id = :externalId
                           FOR UPDATE
                        """)
                .bind("provider", provider)
                .bind("externalId", externalId)
                .map(this::snapshot)
                .one();
    }

    /** Writes what a transition changed; {@code statusChangedAt} null keeps the time of the last status move. */
    public Mono<Void> update(OrderSnapshot order, UUID customerId, Instant statusChangedAt) {
        GenericExecuteSpec spec = db.sql(
                        """
                        UPDATE orders
                           SET customer_id = COALESCE(:customerId, customer_id),
                               customer_email = :email, status = :status, lines = CAST(:lines AS jsonb),
                               amount_total = :amountTotal, amount_refunded = :amountRefunded,
                               currency = :currency, charge_id = :chargeId, checkout_session_id = :sessionId,
                               attention = :attention,
                               status_changed_at = COALESCE(:statusChangedAt, status_changed_at),
                               updated_at = now()
                         WHERE id = :id
                        """)
                .bind("id", order.id());
        spec = nullable(spec, "customerId", customerId, UUID.class);
        spec = nullable(spec, "statusChangedAt", statusChangedAt, Instant.class);
        return bindDetails(spec, order).fetch().rowsUpdated().then();
    }

    /** Appends to an order's status history. */
    public Mono<Void> recordStatus(
            UUID orderId,
            OrderStatus status,
            OrderStatus previous,
            String source,
            String sourceRef,
            Instant occurredAt) {
        GenericExecuteSpec spec = db.sql(
                        """
                        INSERT INTO order_status_changes (order_id, status, previous_status, source, source_ref,
                                                          occurred_at)
                        VALUES (:orderId, :status, :previous, :source, :sourceRef, :occurredAt)
                        """)
                .bind("orderId", orderId)
                .bind("status", status.wireName())
                .bind("source", source)
                .bind("occurredAt", occurredAt);
        spec = nullable(spec, "previous", previous == null ? null : previous.wireName(), String.class);
        spec = nullable(spec, "sourceRef", sourceRef, String.class);
        return spec.fetch().rowsUpdated().then();
    }

    /** The lines column's JSON, shared with the lookup API. */
    public List<LineItem> readLines(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return json.readValue(text, LINES).stream().map(StoredLine::toLine).toList();
    }

    private String writeLines(List<LineItem> lines) {
        return json.writeValueAsString(lines.stream().map(StoredLine::of).toList());
    }

    private GenericExecuteSpec bindDetails(GenericExecuteSpec spec, OrderSnapshot order) {
        spec = spec.bind("status", order.status().wireName()).bind("lines", writeLines(order.lines()));
        spec = nullable(spec, "email", order.customerEmail(), String.class);
        spec = nullable(spec, "amountTotal", order.amountTotal(), Long.class);
        spec = nullable(spec, "amountRefunded", order.amountRefunded(), Long.class);
        spec = nullable(spec, "currency", order.currency(), String.class);
        spec = nullable(spec, "chargeId", order.chargeId(), String.class);
        spec = nullable(spec, "sessionId", order.checkoutSessionId(), String.class);
        return nullable(spec, "attention", order.attention(), String.class);
    }

    private OrderSnapshot snapshot(Readable row) {
        return new OrderSnapshot(
                row.get("id", UUID.class),
                row.get("provider", String.class),
                row.get("external_id", String.class),
                OrderStatus.of(row.get("status", String.class)),
                row.get("customer_email", String.class),
                readLines(row.get("lines", String.class)),
                row.get("amount_total", Long.class),
                row.get("amount_refunded", Long.class),
                row.get("currency", String.class),
                row.get("charge_id", String.class),
                row.get("checkout_session_id", String.class));
    }

    static <T> GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    /** A line as stored in the {@code lines} column and shown by the API: snake_case. */
    record StoredLine(
            @JsonProperty("line_id") String lineId,
            @JsonProperty("sku") String sku,
            @JsonProperty("quantity") int quantity,
            @JsonProperty("price_id") String priceId,
            @JsonProperty("description") String description) {

        static StoredLine of(LineItem line) {
            return new StoredLine(line.lineId(), line.sku(), line.quantity(), line.priceId(), line.description());
        }

        LineItem toLine() {
            return new LineItem(lineId, sku, quantity, priceId, description);
        }
    }
}
