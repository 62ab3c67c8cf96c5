package io.drawbridge.order.privacy.persistence;

import io.drawbridge.order.privacy.domain.StripePayloadErasure;
import io.drawbridge.platform.privacy.ErasureOwner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What order-sync-service keeps about a customer, erased: their customer rows (address, name, and the {@code
 * email:<address>} external id of a Stripe payment without a Customer object), their orders' address, and the stored
 * webhook payloads that name them (see {@link StripePayloadErasure}). Rows are found by the SHA-256 of the trimmed,
 * lower-cased address as the request carries it; payloads also by the ids of the customer's orders (a refund or
 * dispute names the payment, not the person). OrderStatusChanged events in the outbox (sent ones are kept a while)
 * carry the label instead of the address.
 */
@Repository
public class CustomerErasures implements ErasureOwner {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DatabaseClient database;

    CustomerErasures(DatabaseClient database) {
        this.database = database;
    }

    /** Erases, in the caller's transaction; rows changed per kind of record. */
    @Override
    public Mono<Map<String, Long>> erase(String emailHash, String label) {
        Mono<Long> customers = database.sql(
                        """
                        update customers set email = :label, name = null,
                            external_id = case when external_id like 'email:%%' then 'email:' || :label else external_id end,
                            updated_at = now()
                        where (email is not null and %s) or (external_id like 'email:%%' and %s)
                        """
                                .formatted(
                                        ErasureOwner.addressHashMatches("email"),
                                        ErasureOwner.addressHashMatches("substr(external_id, 7)")))
                .bind("label", label)
                .bind("hash", emailHash)
                .fetch()
                .rowsUpdated();
        Mono<Long> orders = database.sql(
                        """
                        update orders set customer_email = :label, updated_at = now()
                        where customer_email is not null and %s
                        """
                                .formatted(ErasureOwner.addressHashMatches("customer_email")))
                .bind("label", label)
                .bind("hash", emailHash)
                .fetch()
                .rowsUpdated();
        Mono<Long> outbox = database.sql(
                        """
                        update outbox
                        set payload = jsonb_set(payload::jsonb, '{customerEmail}', to_jsonb(cast(:label as text)))::json
                        where payload ->> 'customerEmail' is not null and %s
                        """
                                .formatted(ErasureOwner.addressHashMatches("payload ->> 'customerEmail'")))
                .bind("label", label)
                .bind("hash", emailHash)
                .fetch()
                .rowsUpdated();
        return Flux.concat(customers, orders, payloads(emailHash, label), outbox)
                .collectList()
                .map(counts -> {
                    Map<String, Long> erased = new LinkedHashMap<>();
                    erased.put("customers", counts.get(0));
                    erased.put("orders", counts.get(1));
                    erased.put("webhook_payloads", counts.get(2));
                    erased.put("outbox_events", counts.get(3));
                    return erased;
                });
    }

    /**
     * Stored webhook payloads with a string that is the address, or naming one of the customer's orders (by then
     * labelled), rewritten without the customer; how many changed.
     */
    private Mono<Long> payloads(String emailHash, String label) {
        return database.sql(
                        """
                        select w.event_id, w.payload::text as payload from webhook_receipts w
                        where exists (
                                select 1 from jsonb_path_query(w.payload, 'strict $.**') v
                                where jsonb_typeof(v) = 'string' and strpos(v #>> '{}', '@') > 0
                                    and %s)
                            or exists (
                                select 1 from orders o
                                where o.customer_email = :label
                                    and (strpos(w.payload::text, o.external_id) > 0
                                        or (o.charge_id is not null and strpos(w.payload::text, o.charge_id) > 0)))
                        """
                                .formatted(ErasureOwner.addressHashMatches("v #>> '{}'")))
                .bind("hash", emailHash)
                .bind("label", label)
                .map(row -> Map.entry(row.get("event_id", String.class), row.get("payload", String.class)))
                .all()
                .concatMap(row -> {
                    JsonNode payload = JSON.readTree(row.getValue());
                    if (!StripePayloadErasure.erase(payload, emailHash, label)) {
                        return Mono.just(0L);
                    }
                    return database.sql(
                                    "update webhook_receipts set payload = cast(:payload as jsonb) where event_id = :id")
                            .bind("payload", payload.toString())
                            .bind("id", row.getKey())
                            .fetch()
                            .rowsUpdated();
                })
                .reduce(0L, Long::sum);
    }
}
