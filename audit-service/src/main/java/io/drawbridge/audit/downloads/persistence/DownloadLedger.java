package io.drawbridge.audit.downloads.persistence;

import io.drawbridge.audit.downloads.domain.DownloadOutcome;
import io.drawbridge.audit.sql.SqlValue;
import io.drawbridge.audit.trail.domain.ConsumedEvent;
import io.drawbridge.audit.trail.domain.EventReferences;
import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadFailed;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.GrantOutcome;
import io.drawbridge.events.GrantSettled;
import io.drawbridge.events.GrantedItem;
import io.drawbridge.events.TokenExhausted;
import io.drawbridge.events.TokenIssued;
import io.drawbridge.events.TokenRevoked;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Builds the download log from events that arrive in any order across four topics. Each event stores its fact
 * (the request, its reply, a gateway response, what a token is) and then the affected {@code download_log} rows
 * are rebuilt from every fact known so far: the row is a function of the facts, not of their arrival order, and
 * rebuilding twice changes nothing. Rebuilds take one transaction-scoped advisory lock, so two consumer threads
 * cannot each miss the other's uncommitted fact.
 *
 * <p>Rows: one per grant (a reserved use; requests that reused the grant and every response for it fold into
 * it), one per request without a grant (pending, or denied).
 *
 * <p>A grant's outcome is token-service's (GrantSettled), never worked out here from the responses: this ledger
 * sums what the gateway reported serving and shows it, and leaves "delivered in full" to the grant's owner.
 */
@Repository
public class DownloadLedger {

    /** Key of the transaction-scoped advisory lock that serialises rebuilds and erasures ("dlaudit" in ASCII). */
    public static final long REBUILD_LOCK = 0x646c6175646974L;

    private final DatabaseClient database;

    DownloadLedger(DatabaseClient database) {
        this.database = database;
    }

    /**
     * Applies one event; returns the outcomes that log rows entered because of it. Must run inside the caller's
     * transaction (the processed-event one).
     */
    public Mono<List<String>> apply(ConsumedEvent event) {
        Instant at = event.occurredAt();
        Object payload = event.event();
        if (payload instanceof DownloadRequested requested) {
            return lock().then(request(requested, at)).then(rebuildRequest(requested.requestId()));
        }
        if (payload instanceof DownloadGranted granted) {
            return lock().then(grant(granted, at)).then(rebuildRequest(granted.requestId()));
        }
        if (payload instanceof DownloadDenied denied) {
            return lock().then(deny(denied, at)).then(rebuildRequest(denied.requestId()));
        }
        if (payload instanceof DownloadCompleted completed) {
            Delivery delivery = new Delivery(
                    event.eventId(),
                    completed.grantId(),
                    completed.tokenId(),
                    completed.fileId(),
                    true,
                    completed.rangeStart(),
                    completed.bytesSent(),
                    completed.totalSize(),
                    completed.platform(),
                    completed.clientIp(),
                    completed.userAgent(),
                    completed.startedAt(),
                    completed.completedAt(),
                    null);
            return lock().then(delivery(delivery)).then(rebuildGrant(completed.grantId()));
        }
        if (payload instanceof DownloadFailed failed) {
            Delivery delivery = new Delivery(
                    event.eventId(),
                    failed.grantId(),
                    failed.tokenId(),
                    failed.fileId(),
                    false,
                    failed.rangeStart(),
                    failed.bytesSent(),
                    failed.totalSize(),
                    failed.platform(),
                    failed.clientIp(),
                    failed.userAgent(),
                    failed.startedAt(),
                    failed.completedAt(),
                    failed.reason());
            return lock().then(delivery(delivery)).then(rebuildGrant(failed.grantId()));
        }
        if (payload instanceof GrantSettled settled) {
            return lock().then(settlement(settled, event.eventId(), at)).then(rebuildGrant(settled.grantId()));
        }
        if (payload instanceof TokenIssued issued) {
            return lock().then(token(issued, event.references(), at)).then(refreshToken(issued.tokenId()));
        }
        if (payload instanceof TokenRevoked revoked) {
            return lock().then(tokenSeen(revoked.tokenId(), revoked.orderId(), revoked.revokedAt(), at))
                    .then(refreshToken(revoked.tokenId()));
        }
        if (payload instanceof TokenExhausted exhausted) {
            return lock().then(tokenSeen(exhausted.tokenId(), exhausted.orderId(), null, at))
                    .then(refreshToken(exhausted.tokenId()));
        }
        return Mono.just(List.of());
    }

    /** One gateway response, from DownloadCompleted or DownloadFailed. */
    private record Delivery(
            UUID eventId,
            UUID grantId,
            UUID tokenId,
            UUID fileId,
            boolean completed,
            long rangeStart,
            long bytesSent,
            long totalSize,
            String platform,
            String clientIp,
            String userAgent,
            Instant startedAt,
            Instant completedAt,
            String reason) {}

    private Mono<Void> lock() {
        return database.sql("select pg_advisory_xact_lock(:key)")
                .bind("key", REBUILD_LOCK)
                .then();
    }

    // ---------------------------------------------------------------- facts

    private Mono<Void> request(DownloadRequested requested, Instant at) {
        return database.sql(
                        """
                        insert into download_request (request_id, token_hash, requested_platform, typed_email, client_ip,
                            user_agent, requested_at, last_event_at)
                        values (:requestId, :tokenHash, :platform, :email, :clientIp, :userAgent, :requestedAt, :at)
                        on conflict (request_id) do update set token_hash = excluded.token_hash,
                            requested_platform = excluded.requested_platform, typed_email = excluded.typed_email,
                            client_ip = excluded.client_ip, user_agent = excluded.user_agent,
                            requested_at = excluded.requested_at,
                            last_event_at = greatest(download_request.last_event_at, excluded.last_event_at)
                        """)
                .bind("requestId", requested.requestId())
                .bind("tokenHash", SqlValue.of(requested.tokenHash(), String.class))
                .bind("platform", SqlValue.of(requested.platform(), String.class))
                .bind("email", SqlValue.of(EventReferences.normalizeEmail(requested.email()), String.class))
                .bind("clientIp", SqlValue.of(requested.clientIp(), String.class))
                .bind("userAgent", SqlValue.of(requested.userAgent(), String.class))
                .bind(
                        "requestedAt",
                        SqlValue.of(Objects.requireNonNullElse(requested.requestedAt(), at), Instant.class))
                .bind("at", at)
                .then();
    }

    private Mono<Void> grant(DownloadGranted granted, Instant at) {
        List<GrantedItem> items = granted.items() == null ? List.of() : granted.items();
        String fileName = granted.archiveName() != null || items.size() != 1
                ? granted.archiveName()
                : items.get(0).name();
        Long fileSize = items.size() == 1 ? items.get(0).size() : null;
        List<String> platforms = items.stream()
                .map(GrantedItem::platform)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        return database.sql(
                        """
                        insert into download_request (request_id, reply, token_id, grant_id, reused, file_name, file_size,
                            granted_platform, replied_at, last_event_at)
                        values (:requestId, 'granted', :tokenId, :grantId, :reused, :fileName, :fileSize, :platform,
                            :at, :at)
                        on conflict (request_id) do update set reply = excluded.reply, token_id = excluded.token_id,
                            grant_id = excluded.grant_id, reused = excluded.reused, file_name = excluded.file_name,
                            file_size = excluded.file_size, granted_platform = excluded.granted_platform,
                            replied_at = excluded.replied_at,
                            last_event_at = greatest(download_request.last_event_at, excluded.last_event_at)
                        """)
                .bind("requestId", granted.requestId())
                .bind("tokenId", granted.tokenId())
                .bind("grantId", granted.grantId())
                .bind("reused", granted.reused())
                .bind("fileName", SqlValue.of(fileName, String.class))
                .bind("fileSize", SqlValue.of(fileSize, Long.class))
                .bind("platform", SqlValue.of(platforms.size() == 1 ? platforms.get(0) : null, String.class))
                .bind("at", at)
                .then();
    }

    private Mono<Void> deny(DownloadDenied denied, Instant at) {
        return database.sql(
                        """
                        insert into download_request (request_id, reply, token_id, deny_reason, deny_detail, replied_at,
                            last_event_at)
                        values (:requestId, 'denied', :tokenId, :reason, :detail, :at, :at)
                        on conflict (request_id) do update set reply = excluded.reply, token_id = excluded.token_id,
                            deny_reason = excluded.deny_reason, deny_detail = excluded.deny_detail,
                            replied_at = excluded.replied_at,
                            last_event_at = greatest(download_request.last_event_at, excluded.last_event_at)
                        """)
                .bind("requestId", denied.requestId())
                .bind("tokenId", SqlValue.of(denied.tokenId(), UUID.class))
                .bind("reason", SqlValue.of(denied.reason(), String.class))
                .bind("detail", SqlValue.of(denied.detail(), String.class))
                .bind("at", at)
                .then();
    }

    private Mono<Void> delivery(Delivery d) {
        return database.sql(
                        """
                        insert into download_delivery (event_id, grant_id, token_id, file_id, completed, range_start,
                            bytes_sent, total_size, platform, client_ip, user_agent, started_at, completed_at, reason)
                        values (:eventId, :grantId, :tokenId, :fileId, :completed, :rangeStart, :bytesSent, :totalSize,
                            :platform, :clientIp, :userAgent, :startedAt, :completedAt, :reason)
                        on conflict (event_id) do nothing
                        """)
                .bind("eventId", d.eventId())
                .bind("grantId", d.grantId())
                .bind("tokenId", d.tokenId())
                .bind("fileId", SqlValue.of(d.fileId(), UUID.class))
                .bind("completed", d.completed())
                .bind("rangeStart", d.rangeStart())
                .bind("bytesSent", d.bytesSent())
                .bind("totalSize", d.totalSize())
                .bind("platform", SqlValue.of(d.platform(), String.class))
                .bind("clientIp", SqlValue.of(d.clientIp(), String.class))
                .bind("userAgent", SqlValue.of(d.userAgent(), String.class))
                .bind("startedAt", SqlValue.of(d.startedAt(), Instant.class))
                .bind("completedAt", SqlValue.of(d.completedAt(), Instant.class))
                .bind("reason", SqlValue.of(d.reason(), String.class))
                .then();
    }

    /**
     * token-service's decision about a grant. It is published once per grant; should two decisions ever arrive, the
     * later one (by settledAt, then event id) stands whatever the arrival order, so the row converges.
     */
    private Mono<Void> settlement(GrantSettled settled, UUID eventId, Instant at) {
        return database.sql(
                        """
                        insert into grant_settlement (grant_id, token_id, outcome, bytes_sent, download_size, archive,
                            settled_at, event_id)
                        values (:grantId, :tokenId, :outcome, :bytesSent, :downloadSize, :archive, :settledAt, :eventId)
                        on conflict (grant_id) do update set token_id = excluded.token_id, outcome = excluded.outcome,
                            bytes_sent = excluded.bytes_sent, download_size = excluded.download_size,
                            archive = excluded.archive, settled_at = excluded.settled_at, event_id = excluded.event_id
                        where (excluded.settled_at, excluded.event_id)
                            > (grant_settlement.settled_at, grant_settlement.event_id)
                        """)
                .bind("grantId", settled.grantId())
                .bind("tokenId", settled.tokenId())
                .bind("outcome", settled.outcome().wire())
                .bind("bytesSent", settled.bytesSent())
                .bind("downloadSize", settled.downloadSize())
                .bind(
                        "archive",
                        SqlValue.of(
                                settled.archive() == null
                                        ? null
                                        : settled.archive().wire(),
                                String.class))
                .bind("settledAt", Objects.requireNonNullElse(settled.settledAt(), at))
                .bind("eventId", eventId)
                .then();
    }

    private Mono<Void> token(TokenIssued issued, EventReferences refs, Instant at) {
        return database.sql(
                        """
                        insert into token_ref (token_id, token_hash, order_id, customer_email, product_sku, platform,
                            issued_at, last_event_at)
                        values (:tokenId, :tokenHash, :orderId, :email, :sku, :platform, :issuedAt, :at)
                        on conflict (token_id) do update set token_hash = coalesce(excluded.token_hash, token_ref.token_hash),
                            order_id = coalesce(excluded.order_id, token_ref.order_id),
                            customer_email = excluded.customer_email, product_sku = excluded.product_sku,
                            platform = excluded.platform, issued_at = excluded.issued_at,
                            last_event_at = greatest(token_ref.last_event_at, excluded.last_event_at)
                        """)
                .bind("tokenId", issued.tokenId())
                .bind("tokenHash", SqlValue.of(refs.tokenHash(), String.class))
                .bind("orderId", SqlValue.of(issued.orderId(), String.class))
                .bind("email", SqlValue.of(EventReferences.normalizeEmail(issued.customerEmail()), String.class))
                .bind("sku", SqlValue.of(issued.productSku(), String.class))
                .bind("platform", SqlValue.of(issued.platform(), String.class))
                .bind("issuedAt", SqlValue.of(issued.issuedAt(), Instant.class))
                .bind("at", at)
                .then();
    }

    private Mono<Void> tokenSeen(UUID tokenId, String orderId, Instant revokedAt, Instant at) {
        return database.sql(
                        """
                        insert into token_ref (token_id, order_id, revoked_at, last_event_at)
                        values (:tokenId, :orderId, :revokedAt, :at)
                        on conflict (token_id) do update set order_id = coalesce(token_ref.order_id, excluded.order_id),
                            revoked_at = coalesce(excluded.revoked_at, token_ref.revoked_at),
                            last_event_at = greatest(token_ref.last_event_at, excluded.last_event_at)
                        """)
                .bind("tokenId", tokenId)
                .bind("orderId", SqlValue.of(orderId, String.class))
                .bind("revokedAt", SqlValue.of(revokedAt, Instant.class))
                .bind("at", at)
                .then();
    }

    // ---------------------------------------------------------------- rebuilds

    /** A request's row: folded into its grant's row once granted, its own row while pending or denied. */
    private Mono<List<String>> rebuildRequest(UUID requestId) {
        return database.sql("select grant_id from download_request where request_id = :requestId")
                .bind("requestId", requestId)
                .map(row -> Optional.ofNullable(row.get("grant_id", UUID.class)))
                .one()
                .flatMap(grantId -> grantId.isPresent()
                        ? database.sql("delete from download_log where id = :requestId")
                                .bind("requestId", requestId)
                                .then()
                                .then(rebuildGrant(grantId.get()))
                        : transition(requestId, upsertRequestRow(requestId)))
                .defaultIfEmpty(List.of());
    }

    private Mono<Void> upsertRequestRow(UUID requestId) {
        return database.sql(
                        """
                        insert into download_log (id, request_id, grant_id, token_id, order_id, customer_email, platform,
                            client_ip, user_agent, started_at, completed_at, bytes_delivered, outcome, reason,
                            duration_ms, responses, updated_at)
                        select r.request_id, r.request_id, null, r.token_id, t.order_id,
                            coalesce(t.customer_email, r.typed_email), coalesce(r.requested_platform, t.platform),
                            r.client_ip, r.user_agent, coalesce(r.requested_at, r.replied_at, now()), null, 0,
                            case when r.reply = 'denied' then 'denied' else 'pending' end,
                            r.deny_reason, null, 0, now()
                        from download_request r left join token_ref t on t.token_id = r.token_id
                        where r.request_id = :requestId
                        on conflict (id) do update set token_id = excluded.token_id, order_id = excluded.order_id,
                            customer_email = excluded.customer_email, platform = excluded.platform,
                            client_ip = excluded.client_ip, user_agent = excluded.user_agent,
                            started_at = excluded.started_at, outcome = excluded.outcome, reason = excluded.reason,
                            updated_at = now()
                        """)
                .bind("requestId", requestId)
                .then();
    }

    /**
     * A grant's row from its first non-reused request, every response reported for it, its settlement and its
     * token. Any of them can be known before the others (then the row shows what is known, and fills in later).
     * The outcome is token-service's once the grant is settled, {@code in_progress} before ({@link
     * DownloadOutcome#ofGrant}); bytes and responses are what the gateway reported, summed.
     */
    private Mono<List<String>> rebuildGrant(UUID grantId) {
        Mono<String> outcome = database.sql("select outcome from grant_settlement where grant_id = :grantId")
                .bind("grantId", grantId)
                .map(row -> Optional.ofNullable(row.get("outcome", String.class)))
                .one()
                .defaultIfEmpty(Optional.empty())
                .map(settled -> DownloadOutcome.ofGrant(
                                settled.map(GrantOutcome::fromWire).orElse(null))
                        .value());
        Mono<Void> upsert = outcome.flatMap(decided -> database.sql(
                        """
                        with req as (
                            select * from download_request where grant_id = :grantId
                            order by coalesce(reused, false), requested_at nulls last, replied_at nulls last
                            limit 1
                        ), settled as (
                            select * from grant_settlement where grant_id = :grantId
                        ), responses as (
                            select count(*) as responses,
                                coalesce(sum(bytes_sent), 0) as bytes,
                                min(started_at) as first_start,
                                max(completed_at) as last_end,
                                max(total_size) as total_size,
                                min(token_id::text)::uuid as token_id,
                                (array_agg(platform order by started_at) filter (where platform is not null))[1]
                                    as platform,
                                (array_agg(client_ip order by started_at) filter (where client_ip is not null))[1]
                                    as client_ip,
                                (array_agg(user_agent order by started_at) filter (where user_agent is not null))[1]
                                    as user_agent,
                                (array_agg(reason order by completed_at desc nulls last) filter (where not completed))[1]
                                    as last_reason
                            from download_delivery where grant_id = :grantId
                        ), src as (
                            select req.request_id, coalesce(req.token_id, s.token_id, p.token_id) as token_id,
                                req.typed_email,
                                coalesce(req.granted_platform, req.requested_platform, p.platform) as platform,
                                req.file_name,
                                coalesce(req.file_size, nullif(s.download_size, 0), p.total_size) as file_size,
                                coalesce(req.client_ip, p.client_ip) as client_ip,
                                coalesce(req.user_agent, p.user_agent) as user_agent,
                                coalesce(req.requested_at, p.first_start, req.replied_at, p.last_end, s.settled_at)
                                    as started_at,
                                p.last_end as completed_at, p.bytes, p.responses,
                                case when :outcome <> 'completed' then p.last_reason end as reason
                            from responses p left join req on true left join settled s on true
                            where req.request_id is not null or p.responses > 0 or s.grant_id is not null
                        )
                        insert into download_log (id, request_id, grant_id, token_id, order_id, customer_email, platform,
                            file_name, file_size, client_ip, user_agent, started_at, completed_at, bytes_delivered,
                            outcome, reason, duration_ms, responses, updated_at)
                        select :grantId, s.request_id, :grantId, s.token_id, t.order_id,
                            coalesce(t.customer_email, s.typed_email), coalesce(s.platform, t.platform), s.file_name,
                            s.file_size, s.client_ip, s.user_agent, s.started_at, s.completed_at, s.bytes, :outcome,
                            s.reason,
                            case when s.completed_at is not null
                                then greatest(0, (extract(epoch from (s.completed_at - s.started_at)) * 1000)::bigint)
                            end,
                            s.responses, now()
                        from src s left join token_ref t on t.token_id = s.token_id
                        on conflict (id) do update set request_id = excluded.request_id, token_id = excluded.token_id,
                            order_id = excluded.order_id, customer_email = excluded.customer_email,
                            platform = excluded.platform, file_name = excluded.file_name,
                            file_size = excluded.file_size, client_ip = excluded.client_ip,
                            user_agent = excluded.user_agent, started_at = excluded.started_at,
                            completed_at = excluded.completed_at, bytes_delivered = excluded.bytes_delivered,
                            outcome = excluded.outcome, reason = excluded.reason, duration_ms = excluded.duration_ms,
                            responses = excluded.responses, updated_at = now()
                        """)
                .bind("grantId", grantId)
                .bind("outcome", decided)
                .then());
        return transition(grantId, upsert);
    }

    /** Token facts changed: the rows of its downloads show the token's order and customer. */
    private Mono<List<String>> refreshToken(UUID tokenId) {
        return database.sql(
                        """
                        update download_log l set order_id = coalesce(t.order_id, l.order_id),
                            customer_email = coalesce(t.customer_email, l.customer_email),
                            platform = coalesce(l.platform, t.platform), updated_at = now()
                        from token_ref t where t.token_id = :tokenId and l.token_id = :tokenId
                        """)
                .bind("tokenId", tokenId)
                .then()
                .thenReturn(List.of());
    }

    /** Runs {@code change} on row {@code id}; reports the outcome the row entered, if it changed to a decided one. */
    private Mono<List<String>> transition(UUID id, Mono<Void> change) {
        return outcomeOf(id)
                .defaultIfEmpty(DownloadOutcome.PENDING.value())
                .flatMap(before -> change.then(outcomeOf(id)).map(after -> {
                    List<String> entered = new ArrayList<>(1);
                    boolean decided = DownloadOutcome.parse(after)
                            .map(DownloadOutcome::decided)
                            .orElse(false);
                    if (!after.equals(before) && decided) {
                        entered.add(after);
                    }
                    return (List<String>) entered;
                }))
                .defaultIfEmpty(List.of());
    }

    private Mono<String> outcomeOf(UUID id) {
        return database.sql("select outcome from download_log where id = :id")
                .bind("id", id)
                .map(row -> row.get("outcome", String.class))
                .one();
    }
}
