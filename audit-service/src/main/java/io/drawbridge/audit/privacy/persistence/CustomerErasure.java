package io.drawbridge.audit.privacy.persistence;

import io.drawbridge.audit.downloads.persistence.DownloadLedger;
import io.drawbridge.audit.privacy.domain.ClientDetails;
import io.drawbridge.audit.privacy.domain.EmailPseudonyms;
import io.drawbridge.audit.sql.SqlValue;
import io.drawbridge.audit.trail.domain.ConsumedEvent;
import io.drawbridge.audit.trail.domain.EventReferences;
import io.drawbridge.events.CustomerErased;
import io.drawbridge.events.CustomerErasureRequested;
import io.drawbridge.events.Event;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.platform.kafka.EventCodec;
import io.drawbridge.platform.outbox.Outbox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Erases a customer from everything audit-service keeps. Their email address is replaced by its {@link
 * EmailPseudonyms label} (trail columns and payloads, token facts, requests, download log), so counts and the
 * grouping of their downloads survive; the {@link ClientDetails client IPs and user agents} of their downloads and
 * link views are removed (trail payloads, request and response facts, download log). The erasure is remembered, so
 * that an event about that customer arriving later is stored the same way. Both paths take the ledger's advisory
 * lock, so an event being recorded while the erasure runs cannot slip the address, an IP or a user agent back in.
 *
 * <p>The erasure reaches every other owner of the customer's data through the outbox, in the same transaction: a
 * {@link CustomerErasureRequested} (the address only as its hash, and the label to use) that token-service and
 * order-sync-service answer with a {@link CustomerErased} each, and this service's own {@link CustomerErased}. The
 * trail keeps the request and every answer ({@code GET /api/v1/erasures/{id}} reads them back).
 *
 * <p>A customer's downloads are found by their tokens (the token facts carry the label), the token hashes their
 * requests carried, the email they typed at redemption, and the grants answered to those requests.
 */
@Repository
public class CustomerErasure {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The ids of the customer labelled {@code :label}: tokens, token hashes, requests and grants. Prefixed to the
     * statements that remove client details; none of them changes a column these sets are computed from.
     */
    private static final String CUSTOMER_SCOPE =
            """
            with tokens as (
                select token_id from token_ref where customer_email = :label
            ), hashes as (
                select token_hash from token_ref
                where token_id in (select token_id from tokens) and token_hash is not null
                union
                select token_hash from download_request
                where token_id in (select token_id from tokens) and token_hash is not null
            ), requests as (
                select request_id from download_request
                where typed_email = :label or token_id in (select token_id from tokens)
                    or token_hash in (select token_hash from hashes)
            ), grants as (
                select grant_id from download_request
                where request_id in (select request_id from requests) and grant_id is not null
                union
                select grant_id from download_delivery where token_id in (select token_id from tokens)
            )
            """;

    /** Labels of erased customers an event is about, once its facts are stored. */
    private static final String ERASED_CUSTOMERS_OF_EVENTS =
            """
            with linked_tokens as (
                select token_id from token_ref where token_id = any(:tokenIds) or token_hash = any(:tokenHashes)
                union
                select token_id from download_request
                where (request_id = any(:requestIds) or grant_id = any(:grantIds) or token_hash = any(:tokenHashes))
                    and token_id is not null
                union
                select token_id from download_delivery where grant_id = any(:grantIds)
            ), emails as (
                select customer_email as email from token_ref where token_id in (select token_id from linked_tokens)
                union
                select typed_email from download_request where request_id = any(:requestIds)
                union
                select unnest(cast(:emails as text[]))
            )
            select distinct label from erased_customer where label in (select email from emails)
            """;

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final EmailPseudonyms pseudonyms;
    private final Outbox outbox;

    CustomerErasure(
            DatabaseClient database, TransactionalOperator transactions, EmailPseudonyms pseudonyms, Outbox outbox) {
        this.database = database;
        this.transactions = transactions;
        this.pseudonyms = pseudonyms;
        this.outbox = outbox;
    }

    /** This service's name in its {@link CustomerErased} answers. */
    public static final String SERVICE = "audit-service";

    /**
     * How many rows an erasure changed, per table.
     *
     * @param auditEvents trail rows whose email was replaced
     * @param clientDetails rows that lost client IPs or user agents
     */
    public record Erasure(
            UUID erasureId,
            String label,
            long auditEvents,
            long downloadLogs,
            long tokens,
            long requests,
            ClientDetailsRemoved clientDetails) {}

    /** How many rows lost client IPs or user agents, per table. */
    public record ClientDetailsRemoved(long auditEvents, long downloadLogs, long requests, long deliveries) {}

    /**
     * Erases {@code email} everywhere in this service and asks every other owner to do the same, in one transaction;
     * safe to repeat (each repetition is a new erasure, whose answers count only what was left).
     */
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
                .thenMany(Flux.concat(
                        eraseTrail(normalized, label),
                        update(
                                "update download_log set customer_email = :label where customer_email = :email",
                                normalized,
                                label),
                        update(
                                "update token_ref set customer_email = :label where customer_email = :email",
                                normalized,
                                label),
                        update(
                                "update download_request set typed_email = :label where typed_email = :email",
                                normalized,
                                label)))
                .collectList()
                .flatMap(counts -> removeClientDetails(label)
                        .map(client -> new Erasure(
                                UUID.randomUUID(),
                                label,
                                counts.get(0),
                                counts.get(1),
                                counts.get(2),
                                counts.get(3),
                                client)))
                .flatMap(done -> {
                    Instant now = Instant.now();
                    return outbox.append(new CustomerErasureRequested(
                                    done.erasureId(), CustomerErasureRequested.emailHash(normalized), label, now))
                            .then(outbox.append(new CustomerErased(done.erasureId(), SERVICE, report(done), now)))
                            .thenReturn(done);
                });
        return transactions.transactional(erasure);
    }

    /** What this service erased, in the words of its {@link CustomerErased} answer. */
    static Map<String, Long> report(Erasure done) {
        Map<String, Long> report = new LinkedHashMap<>();
        report.put("audit_events", done.auditEvents());
        report.put("download_logs", done.downloadLogs());
        report.put("token_facts", done.tokens());
        report.put("requests", done.requests());
        report.put("audit_event_client_details", done.clientDetails().auditEvents());
        report.put("download_log_client_details", done.clientDetails().downloadLogs());
        report.put("request_client_details", done.clientDetails().requests());
        report.put("delivery_client_details", done.clientDetails().deliveries());
        return report;
    }

    /**
     * Removes client IPs and user agents of erased customers that {@code events} are about, from the events as stored
     * and from everything they link to that customer (a reply or response can be the first to tie earlier requests
     * to the customer's token). Runs in the transaction that recorded the events, after their facts were stored, so
     * nothing of them is committed with them. One look-up for all the events of a poll.
     */
    public Mono<Void> removeClientDetailsIfErased(List<ConsumedEvent> events) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        List<EventReferences> refs =
                events.stream().map(ConsumedEvent::references).toList();
        return lock().thenMany(database.sql(ERASED_CUSTOMERS_OF_EVENTS)
                        .bind("tokenIds", present(refs, EventReferences::tokenId, UUID[]::new))
                        .bind("requestIds", present(refs, EventReferences::requestId, UUID[]::new))
                        .bind("grantIds", present(refs, EventReferences::grantId, UUID[]::new))
                        .bind("tokenHashes", present(refs, EventReferences::tokenHash, String[]::new))
                        .bind("emails", present(refs, EventReferences::email, String[]::new))
                        .map(row -> row.get("label", String.class))
                        .all())
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(this::removeClientDetails)
                .then();
    }

    /** The distinct non-null values of one reference over a poll's events, as an array to bind. */
    private static <T> T[] present(
            List<EventReferences> refs, Function<EventReferences, T> reference, IntFunction<T[]> array) {
        return refs.stream().map(reference).filter(Objects::nonNull).distinct().toArray(array);
    }

    /**
     * The events as they may be stored: each unchanged, unless it names a customer who was erased, then with every
     * occurrence of the address replaced by the label (payload and typed record alike). One look-up for all.
     */
    public Mono<List<ConsumedEvent>> pseudonymiseIfErased(List<ConsumedEvent> events) {
        String[] hashes = events.stream()
                .map(event -> event.references().email())
                .filter(email -> email != null && !EmailPseudonyms.isLabel(email))
                .map(pseudonyms::hash)
                .distinct()
                .toArray(String[]::new);
        if (hashes.length == 0) {
            return Mono.just(events);
        }
        return lock().then(database.sql("select email_hash, label from erased_customer where email_hash = any(:hashes)")
                        .bind("hashes", hashes)
                        .map(row -> Map.entry(row.get("email_hash", String.class), row.get("label", String.class)))
                        .all()
                        .collectMap(Map.Entry::getKey, Map.Entry::getValue))
                .map(labelByHash -> labelByHash.isEmpty()
                        ? events
                        : events.stream()
                                .map(event -> pseudonymised(event, labelByHash))
                                .toList());
    }

    private ConsumedEvent pseudonymised(ConsumedEvent event, Map<String, String> labelByHash) {
        String email = event.references().email();
        String label = email == null || EmailPseudonyms.isLabel(email) ? null : labelByHash.get(pseudonyms.hash(email));
        return label == null ? event : pseudonymise(event, Map.of(email, label));
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

    /** Removes the client details of the customer labelled {@code label}; rows already without them stay. */
    private Mono<ClientDetailsRemoved> removeClientDetails(String label) {
        return Flux.concat(
                        removeClientDetailsFromTrail(label),
                        update(
                                CUSTOMER_SCOPE
                                        + """
                                        update download_log set client_ip = null, user_agent = null, updated_at = now()
                                        where (customer_email = :label or token_id in (select token_id from tokens)
                                                or request_id in (select request_id from requests)
                                                or grant_id in (select grant_id from grants))
                                            and (client_ip is not null or user_agent is not null)
                                        """,
                                label),
                        update(
                                CUSTOMER_SCOPE
                                        + """
                                        update download_request set client_ip = null, user_agent = null
                                        where request_id in (select request_id from requests)
                                            and (client_ip is not null or user_agent is not null)
                                        """,
                                label),
                        update(
                                CUSTOMER_SCOPE
                                        + """
                                        update download_delivery set client_ip = null, user_agent = null
                                        where (token_id in (select token_id from tokens)
                                                or grant_id in (select grant_id from grants))
                                            and (client_ip is not null or user_agent is not null)
                                        """,
                                label))
                .collectList()
                .map(counts -> new ClientDetailsRemoved(counts.get(0), counts.get(1), counts.get(2), counts.get(3)));
    }

    private Mono<Long> removeClientDetailsFromTrail(String label) {
        return database.sql(
                        CUSTOMER_SCOPE
                                + """
                        select event_id, payload::text as payload from audit_event
                        where (email = :label or token_id in (select token_id from tokens)
                                or request_id in (select request_id from requests)
                                or grant_id in (select grant_id from grants)
                                or token_hash in (select token_hash from hashes))
                            and (jsonb_path_exists(payload, 'lax $.**.clientIp')
                                or jsonb_path_exists(payload, 'lax $.**.userAgent'))
                        """)
                .bind("label", label)
                .map(row -> Map.entry(row.get("event_id", UUID.class), row.get("payload", String.class)))
                .all()
                .collectList()
                .flatMapIterable(rows -> rows)
                .filter(row -> ClientDetails.present(JSON.readTree(row.getValue())))
                .concatMap(row -> database.sql("update audit_event set payload = :payload where event_id = :eventId")
                        .bind(
                                "payload",
                                SqlValue.json(ClientDetails.remove((ObjectNode) JSON.readTree(row.getValue()))
                                        .toString()))
                        .bind("eventId", row.getKey())
                        .fetch()
                        .rowsUpdated())
                .reduce(0L, Long::sum);
    }

    private Mono<Long> update(String sql, String label) {
        return database.sql(sql).bind("label", label).fetch().rowsUpdated();
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
