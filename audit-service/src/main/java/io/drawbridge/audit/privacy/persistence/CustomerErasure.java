package io.drawbridge.audit.privacy.persistence;

import io.drawbridge.audit.downloads.persistence.DownloadLedger;
import io.drawbridge.audit.privacy.domain.EmailPseudonyms;
import io.drawbridge.audit.sql.SqlValue;
import io.drawbridge.audit.trail.domain.ConsumedEvent;
import io.drawbridge.audit.trail.domain.EventReferences;
import io.drawbridge.events.Event;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.platform.kafka.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Erases a customer's email address from everything audit-service keeps (trail columns and payloads, token facts,
 * requests, download log), replacing it by its {@link EmailPseudonyms label}, and remembers the erasure so that
 * an event about that customer arriving later is pseudonymised before it is stored. Both paths take the ledger's
 * advisory lock, so an event being recorded while the erasure runs cannot slip the address back in.
 */
@Repository
public class CustomerErasure {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final EmailPseudonyms pseudonyms;

    CustomerErasure(DatabaseClient database, TransactionalOperator transactions, EmailPseudonyms pseudonyms) {
        this.database = database;
        this.transactions = transactions;
        this.pseudonyms = pseudonyms;
    }

    /** How many rows an erasure changed, per table. */
    public record Erasure(String label, long auditEvents, long downloadLogs, long tokens, long requests) {}

    /** Erases {@code email} everywhere; safe to repeat. */
    public Mono<Erasure> erase(String email) {
        String normalized = EventReferences.normalizeEmail(email);
        String hash = pseudonyms.hash(normalized);
        String label = EmailPseudonyms.labelOfHash(hash);
        Mono<Erasure> erasure = lock().then(database.sql(
                                """
                                insert into erased_customer (email_hash, label) values (:hash, :label)
                                on conflict (email_hash) do nothing
                                """)
                        .bind("hash", hash)
                        .bind("label", label)
                        .then())
                .then(eraseTrail(normalized, label))
                .flatMap(auditEvents -> update(
                                "update download_log set customer_email = :label where customer_email = :email",
                                normalized,
                                label)
                        .flatMap(downloadLogs -> update(
                                        "update token_ref set customer_email = :label where customer_email = :email",
                                        normalized,
                                        label)
                                .flatMap(tokens -> update(
                                                "update download_request set typed_email = :label"
                                                        + " where typed_email = :email",
                                                normalized,
                                                label)
                                        .map(requests ->
                                                new Erasure(label, auditEvents, downloadLogs, tokens, requests)))));
        return transactions.transactional(erasure);
    }

    /**
     * The event as it may be stored: unchanged, unless it names a customer who was erased, then with every
     * occurrence of the address replaced by the label (payload and typed record alike).
     */
    public Mono<ConsumedEvent> pseudonymiseIfErased(ConsumedEvent event) {
        String email = event.references().email();
        if (email == null || EmailPseudonyms.isLabel(email)) {
            return Mono.just(event);
        }
        return lock().then(database.sql("select label from erased_customer where email_hash = :hash")
                        .bind("hash", pseudonyms.hash(email))
                        .map(row -> row.get("label", String.class))
                        .one())
                .map(label -> pseudonymise(event, Map.of(email, label)))
                .defaultIfEmpty(event);
    }

    private static ConsumedEvent pseudonymise(ConsumedEvent event, Map<String, String> replacements) {
        ObjectNode payload = EmailPseudonyms.replace(event.payload(), replacements);
        Event typed = event.event() == null
                ? null
                : EventCatalog.byName(event.type())
                        .<Event>map(
                                type -> EventCodec.read(type, payload.toString().getBytes(StandardCharsets.UTF_8)))
                        .orElse(null);
        return event.withContent(payload, typed);
    }

    private Mono<Long> eraseTrail(String email, String label) {
        return database.sql(
                        """
                        select event_id, payload::text as payload from audit_event
                        where email = :email or strpos(lower(payload::text), :email) > 0
                        """)
                .bind("email", email)
                .map(row -> Map.entry(row.get("event_id", UUID.class), row.get("payload", String.class)))
                .all()
                .collectList()
                .flatMapIterable(rows -> rows)
                .concatMap(row -> {
                    JsonNode tree = JSON.readTree(row.getValue());
                    ObjectNode payload = EmailPseudonyms.replace((ObjectNode) tree, Map.of(email, label));
                    return database.sql(
                                    """
                                    update audit_event set payload = :payload,
                                        email = case when email = :email then :label else email end
                                    where event_id = :eventId
                                    """)
                            .bind("payload", SqlValue.json(payload.toString()))
                            .bind("email", email)
                            .bind("label", label)
                            .bind("eventId", row.getKey())
                            .fetch()
                            .rowsUpdated();
                })
                .reduce(0L, Long::sum);
    }

    private Mono<Long> update(String sql, String email, String label) {
        return database.sql(sql)
                .bind("email", email)
                .bind("label", label)
                .fetch()
                .rowsUpdated();
    }

    private Mono<Void> lock() {
        return database.sql("select pg_advisory_xact_lock(:key)")
                .bind("key", DownloadLedger.REBUILD_LOCK)
                .then();
    }
}
