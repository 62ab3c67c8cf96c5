package io.drawbridge.token.issue.persistence;

import io.drawbridge.token.issue.domain.Delivery;
import io.drawbridge.token.issue.domain.DeliveryStatus;
import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.issue.domain.TokenLedger;
import io.drawbridge.token.issue.domain.TokenPage;
import io.drawbridge.token.issue.domain.TokenQuery;
import io.drawbridge.token.persistence.PagedSelect;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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

/** Tokens in PostgreSQL; the use counters change only through conditional UPDATEs. */
@Repository
class R2dbcTokenLedger implements TokenLedger {

    private static final String COLUMNS = "id, token_hash, customer_email, order_id, order_line_id, product_sku,"
            + " platform, require_email, note, max_downloads, consumed, reserved, bytes_delivered, issued_at,"
            + " expires_at, revoked_at, revoke_reason, exhausted_at, source, delivery_status, delivery_attempts,"
            + " delivery_error, emailed_at, delivery_failed_at, replaces, replaced_by";

    private final DatabaseClient db;

    R2dbcTokenLedger(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> insert(DownloadToken token) {
        GenericExecuteSpec spec = db.sql("INSERT INTO token (" + COLUMNS + ") VALUES (:id, :tokenHash, :email,"
                        + " :orderId, :orderLineId, :sku, :platform, :requireEmail, :note, :maxDownloads, 0, 0, 0,"
                        + " :issuedAt, :expiresAt, NULL, NULL, NULL, :source, :delivery, 0, NULL, NULL, NULL,"
                        + " :replaces, NULL)")
                .bind("id", token.id())
                .bind("tokenHash", token.tokenHash())
                .bind("email", token.customerEmail())
                .bind("requireEmail", token.requireEmail())
                .bind("maxDownloads", token.maxDownloads())
                .bind("issuedAt", token.issuedAt())
                .bind("expiresAt", token.expiresAt())
                .bind("source", token.source())
                .bind("delivery", token.delivery().status().wire());
        spec = token.delivery().replaces() == null
                ? spec.bindNull("replaces", UUID.class)
                : spec.bind("replaces", token.delivery().replaces());
        spec = nullable(spec, "orderId", token.orderId());
        spec = nullable(spec, "orderLineId", token.orderLineId());
        spec = nullable(spec, "sku", token.productSku());
        spec = nullable(spec, "platform", token.platform());
        spec = nullable(spec, "note", token.note());
        Flux<Long> files = Flux.range(0, token.fileIds().size())
                .concatMap(position -> db.sql("INSERT INTO token_file (token_id, file_id, position)"
                                + " VALUES (:tokenId, :fileId, :position)")
                        .bind("tokenId", token.id())
                        .bind("fileId", token.fileIds().get(position))
                        .bind("position", position)
                        .fetch()
                        .rowsUpdated());
        return spec.fetch().rowsUpdated().thenMany(files).then();
    }

    @Override
    public Mono<DownloadToken> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM token WHERE id = :id")
                .bind("id", id)
                .map(R2dbcTokenLedger::token)
                .one()
                .flatMap(this::withFiles);
    }

    @Override
    public Mono<DownloadToken> findByHash(String tokenHash) {
        return db.sql("SELECT " + COLUMNS + " FROM token WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map(R2dbcTokenLedger::token)
                .one()
                .flatMap(this::withFiles);
    }

    @Override
    public Flux<DownloadToken> findByHashes(Collection<String> tokenHashes) {
        if (tokenHashes.isEmpty()) {
            return Flux.empty();
        }
        return db.sql("SELECT " + COLUMNS + " FROM token WHERE token_hash = ANY(:hashes)")
                .bind("hashes", tokenHashes.toArray(String[]::new))
                .map(R2dbcTokenLedger::token)
                .all()
                .collectList()
                .flatMap(this::withFiles)
                .flatMapIterable(list -> list);
    }

    @Override
    public Mono<DownloadToken> lock(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM token WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map(R2dbcTokenLedger::token)
                .one()
                .flatMap(this::withFiles);
    }

    @Override
    public Flux<DownloadToken> findByOrder(String orderId) {
        return db.sql("SELECT " + COLUMNS + " FROM token WHERE order_id = :orderId ORDER BY issued_at, id")
                .bind("orderId", orderId)
                .map(R2dbcTokenLedger::token)
                .all()
                .collectList()
                .flatMap(this::withFiles)
                .flatMapIterable(list -> list);
    }

    @Override
    public Mono<Boolean> markReplaced(UUID id, UUID replacement) {
        return db.sql("UPDATE token SET replaced_by = :replacement WHERE id = :id AND replaced_by IS NULL")
                .bind("id", id)
                .bind("replacement", replacement)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Void> deliveryAttemptFailed(Collection<UUID> ids, String error) {
        return db.sql("UPDATE token SET delivery_attempts = delivery_attempts + 1, delivery_error = :error"
                        + " WHERE id = ANY(:ids) AND delivery_status = 'pending'")
                .bind("ids", ids.toArray(UUID[]::new))
                .bind("error", error)
                .then();
    }

    @Override
    public Flux<DownloadToken> markEmailed(Collection<UUID> ids, Instant at) {
        return db.sql("UPDATE token SET delivery_status = 'emailed', emailed_at = :at, delivery_error = NULL,"
                        + " delivery_attempts = delivery_attempts + 1"
                        + " WHERE id = ANY(:ids) AND delivery_status IN ('pending', 'failed') RETURNING " + COLUMNS)
                .bind("ids", ids.toArray(UUID[]::new))
                .bind("at", at)
                .map(R2dbcTokenLedger::token)
                .all();
    }

    @Override
    public Flux<UUID> markDeliveryFailed(Collection<UUID> ids, String error, Instant at) {
        return db.sql("UPDATE token SET delivery_status = 'failed', delivery_failed_at = :at, delivery_error = :error,"
                        + " delivery_attempts = delivery_attempts + 1"
                        + " WHERE id = ANY(:ids) AND delivery_status = 'pending' RETURNING id")
                .bind("ids", ids.toArray(UUID[]::new))
                .bind("error", error)
                .bind("at", at)
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    @Override
    public Flux<DownloadToken> abandonDeliveries(Instant issuedBefore, String error, Instant at) {
        return db.sql("UPDATE token SET delivery_status = 'failed', delivery_failed_at = :at, delivery_error = :error"
                        + " WHERE delivery_status = 'pending' AND issued_at < :before RETURNING " + COLUMNS)
                .bind("before", issuedBefore)
                .bind("error", error)
                .bind("at", at)
                .map(R2dbcTokenLedger::token)
                .all();
    }

    @Override
    public Mono<TokenPage> search(TokenQuery query, Instant now) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (query.email() != null && !query.email().isBlank()) {
            where.add("lower(customer_email) = lower(:email)");
            params.put("email", query.email().trim());
        }
        if (query.orderId() != null && !query.orderId().isBlank()) {
            where.add("order_id = :orderId");
            params.put("orderId", query.orderId().trim());
        }
        if (query.status() != null) {
            where.add(
                    switch (query.status()) {
                        case REVOKED -> "revoked_at IS NOT NULL";
                        case EXHAUSTED -> "revoked_at IS NULL AND consumed >= max_downloads";
                        case EXPIRED -> "revoked_at IS NULL AND consumed < max_downloads AND expires_at <= :now";
                        case ACTIVE -> "revoked_at IS NULL AND consumed < max_downloads AND expires_at > :now";
                    });
            if (where.get(where.size() - 1).contains(":now")) {
                params.put("now", now);
            }
        }
        if (query.delivery() != null) {
            where.add("delivery_status = :delivery");
            params.put("delivery", query.delivery().wire());
            if (query.delivery() == DeliveryStatus.FAILED) {
                where.add("replaced_by IS NULL");
            }
        }
        String condition = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        return new PagedSelect("SELECT " + COLUMNS + " FROM token", "token", condition, params, "issued_at DESC, id")
                .fetch(
                        db,
                        query.page(),
                        query.size(),
                        R2dbcTokenLedger::token,
                        this::withFiles,
                        (page, count) -> new TokenPage(page, query.page(), query.size(), count));
    }

    @Override
    public Mono<DownloadToken> revoke(UUID id, String reason, Instant revokedAt) {
        return db.sql("UPDATE token SET revoked_at = :at, revoke_reason = :reason"
                        + " WHERE id = :id AND revoked_at IS NULL RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("reason", reason)
                .bind("at", revokedAt)
                .map(R2dbcTokenLedger::token)
                .one()
                .flatMap(this::withFiles);
    }

    @Override
    public Mono<DownloadToken> changeExpiry(UUID id, Instant from, Instant to) {
        return db.sql("UPDATE token SET expires_at = :to WHERE id = :id AND expires_at = :from AND revoked_at IS NULL"
                        + " RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("from", from)
                .bind("to", to)
                .map(R2dbcTokenLedger::token)
                .one()
                .flatMap(this::withFiles);
    }

    @Override
    public Mono<DownloadToken> changeMaxDownloads(UUID id, int from, int to) {
        return db.sql("UPDATE token SET max_downloads = :to, exhausted_at = NULL WHERE id = :id"
                        + " AND max_downloads = :from AND revoked_at IS NULL RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("from", from)
                .bind("to", to)
                .map(R2dbcTokenLedger::token)
                .one()
                .flatMap(this::withFiles);
    }

    @Override
    public Mono<Integer> reserve(UUID id, Instant now) {
        return db.sql("UPDATE token SET reserved = reserved + 1 WHERE id = :id AND revoked_at IS NULL"
                        + " AND expires_at > :now AND consumed + reserved < max_downloads"
                        + " RETURNING max_downloads - consumed - reserved AS remaining")
                .bind("id", id)
                .bind("now", now)
                .map(row -> row.get("remaining", Integer.class))
                .one();
    }

    @Override
    public Mono<Map<UUID, Integer>> reserve(Map<UUID, Integer> counts, Instant now) {
        if (counts.isEmpty()) {
            return Mono.just(Map.of());
        }
        UUID[] ids = counts.keySet().toArray(UUID[]::new);
        Integer[] wanted = Arrays.stream(ids).map(counts::get).toArray(Integer[]::new);
        return db.sql("UPDATE token t SET reserved = t.reserved + w.n FROM unnest(:ids::uuid[], :counts::int[])"
                        + " AS w(id, n) WHERE t.id = w.id AND t.revoked_at IS NULL AND t.expires_at > :now"
                        + " AND t.consumed + t.reserved + w.n <= t.max_downloads"
                        + " RETURNING t.id, t.max_downloads - t.consumed - t.reserved AS remaining")
                .bind("ids", ids)
                .bind("counts", wanted)
                .bind("now", now)
                .map(row -> Map.entry(row.get("id", UUID.class), row.get("remaining", Integer.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    @Override
    public Mono<Void> releaseReserved(UUID id, int count) {
        return db.sql("UPDATE token SET reserved = greatest(reserved - :count, 0) WHERE id = :id")
                .bind("id", id)
                .bind("count", count)
                .then();
    }

    @Override
    public Mono<DownloadToken> consume(UUID id, boolean fromReservation) {
        String sql = fromReservation
                ? "UPDATE token SET reserved = reserved - 1, consumed = consumed + 1 WHERE id = :id AND reserved > 0"
                : "UPDATE token SET consumed = consumed + 1 WHERE id = :id AND consumed + reserved < max_downloads";
        return db.sql(sql + " RETURNING " + COLUMNS)
                .bind("id", id)
                .map(R2dbcTokenLedger::token)
                .one()
                .flatMap(this::withFiles);
    }

    @Override
    public Mono<Boolean> markExhausted(UUID id, Instant at) {
        return db.sql("UPDATE token SET exhausted_at = :at WHERE id = :id AND exhausted_at IS NULL")
                .bind("id", id)
                .bind("at", at)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Boolean> leaseBytes(UUID id, long bytes, long budget) {
        return db.sql("UPDATE token SET bytes_leased = bytes_leased + :bytes WHERE id = :id"
                        + " AND bytes_leased + :bytes <= :budget")
                .bind("id", id)
                .bind("bytes", bytes)
                .bind("budget", budget)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Void> settleBytes(UUID id, long unsent, long sent) {
        return db.sql("UPDATE token SET bytes_leased = greatest(bytes_leased - :unsent, 0),"
                        + " bytes_delivered = bytes_delivered + :sent WHERE id = :id")
                .bind("id", id)
                .bind("unsent", unsent)
                .bind("sent", sent)
                .then();
    }

    @Override
    public Mono<DownloadToken> lockOfGrant(UUID grantId) {
        return db.sql("SELECT " + COLUMNS + " FROM token WHERE id = (SELECT token_id FROM download_grant"
                        + " WHERE id = :grantId) FOR UPDATE")
                .bind("grantId", grantId)
                .map(R2dbcTokenLedger::token)
                .one()
                .flatMap(this::withFiles);
    }

    private Mono<DownloadToken> withFiles(DownloadToken token) {
        return withFiles(List.of(token)).map(list -> list.get(0));
    }

    private Mono<List<DownloadToken>> withFiles(List<DownloadToken> tokens) {
        List<UUID> productless = tokens.stream()
                .filter(token -> !token.forProduct())
                .map(DownloadToken::id)
                .toList();
        if (productless.isEmpty()) {
            return Mono.just(tokens);
        }
        return db.sql("SELECT token_id, file_id FROM token_file WHERE token_id = ANY(:ids) ORDER BY position")
                .bind("ids", productless.toArray(UUID[]::new))
                .map(row -> Map.entry(row.get("token_id", UUID.class), row.get("file_id", UUID.class)))
                .all()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())))
                .map(files -> tokens.stream()
                        .map(token ->
                                files.containsKey(token.id()) ? copyWithFiles(token, files.get(token.id())) : token)
                        .toList());
    }

    private static DownloadToken copyWithFiles(DownloadToken t, List<UUID> fileIds) {
        return new DownloadToken(
                t.id(),
                t.tokenHash(),
                t.customerEmail(),
                t.orderId(),
                t.orderLineId(),
                t.productSku(),
                fileIds,
                t.platform(),
                t.requireEmail(),
                t.note(),
                t.maxDownloads(),
                t.consumed(),
                t.reserved(),
                t.bytesDelivered(),
                t.issuedAt(),
                t.expiresAt(),
                t.revokedAt(),
                t.revokeReason(),
                t.exhaustedAt(),
                t.source(),
                t.delivery());
    }

    private static DownloadToken token(Readable row) {
        return new DownloadToken(
                row.get("id", UUID.class),
                row.get("token_hash", String.class),
                row.get("customer_email", String.class),
                row.get("order_id", String.class),
                row.get("order_line_id", String.class),
                row.get("product_sku", String.class),
                List.of(),
                row.get("platform", String.class),
                Boolean.TRUE.equals(row.get("require_email", Boolean.class)),
                row.get("note", String.class),
                row.get("max_downloads", Integer.class),
                row.get("consumed", Integer.class),
                row.get("reserved", Integer.class),
                row.get("bytes_delivered", Long.class),
                row.get("issued_at", Instant.class),
                row.get("expires_at", Instant.class),
                row.get("revoked_at", Instant.class),
                row.get("revoke_reason", String.class),
                row.get("exhausted_at", Instant.class),
                row.get("source", String.class),
                new Delivery(
                        DeliveryStatus.parse(row.get("delivery_status", String.class))
                                .orElse(DeliveryStatus.RESPONSE),
                        row.get("delivery_attempts", Integer.class),
                        row.get("delivery_error", String.class),
                        row.get("emailed_at", Instant.class),
                        row.get("delivery_failed_at", Instant.class),
                        row.get("replaces", UUID.class),
                        row.get("replaced_by", UUID.class)));
    }

    private static GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
