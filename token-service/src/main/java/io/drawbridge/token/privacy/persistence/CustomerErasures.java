package io.drawbridge.token.privacy.persistence;

import io.drawbridge.platform.privacy.ErasureOwner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What token-service keeps about a customer, erased: the address on their links ({@code token}) and orders ({@code
 * customer_order}) becomes the erasure's label, and the client IP and user agent of every grant of their links are
 * blanked (the columns are NOT NULL; an empty value is what a request without them stores too); events in the outbox
 * that name the address (TokenIssued, LinkEmailed; sent ones are kept a while) carry the label instead. Rows are found by
 * the SHA-256 of the trimmed, lower-cased address, as the request carries it, and by the label for what an earlier
 * erasure already relabelled, so a repeat also clears grants made since.
 *
 * <p>Kept apart from the redemption and delivery packages, which own these tables' everyday statements.
 */
@Repository
public class CustomerErasures implements ErasureOwner {

    private final DatabaseClient database;

    CustomerErasures(DatabaseClient database) {
        this.database = database;
    }

    /** Erases, in the caller's transaction; rows changed per kind of record (the answer's {@code erased}). */
    @Override
    public Mono<Map<String, Long>> erase(String emailHash, String label) {
        return Flux.concat(
                        update(
                                "update token set customer_email = :label where "
                                        + ErasureOwner.addressHashMatches("customer_email"),
                                emailHash,
                                label),
                        update(
                                """
                                update customer_order set customer_email = :label, updated_at = now()
                                where customer_email is not null and %s
                                """
                                        .formatted(ErasureOwner.addressHashMatches("customer_email")),
                                emailHash,
                                label),
                        update(
                                """
                                update download_grant set client_ip = '', user_agent = ''
                                where token_id in (select id from token where customer_email = :label)
                                    and (client_ip <> '' or user_agent <> '')
                                """,
                                emailHash,
                                label),
                        update(
                                """
                                update outbox
                                set payload = jsonb_set(payload::jsonb, '{customerEmail}', to_jsonb(cast(:label as text)))::json
                                where payload ->> 'customerEmail' is not null and %s
                                """
                                        .formatted(ErasureOwner.addressHashMatches("payload ->> 'customerEmail'")),
                                emailHash,
                                label))
                .collectList()
                .map(counts -> {
                    Map<String, Long> erased = new LinkedHashMap<>();
                    erased.put("links", counts.get(0));
                    erased.put("orders", counts.get(1));
                    erased.put("grant_client_details", counts.get(2));
                    erased.put("outbox_events", counts.get(3));
                    return erased;
                });
    }

    private Mono<Long> update(String sql, String emailHash, String label) {
        DatabaseClient.GenericExecuteSpec spec = database.sql(sql).bind("label", label);
        if (sql.contains(":hash")) {
            spec = spec.bind("hash", emailHash);
        }
        return spec.fetch().rowsUpdated();
    }
}
