package io.drawbridge.token.redeem.persistence;

import io.drawbridge.token.redeem.domain.Grant;
import io.drawbridge.token.redeem.domain.GrantBook;
import io.drawbridge.token.redeem.domain.GrantItem;
import io.drawbridge.token.redeem.domain.GrantStatus;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Grants in PostgreSQL. Settling statements lock the grant row in a CTE and return what it held before, so the
 * caller knows whether this call (and no other) gave back or consumed the use.
 */
@Repository
class R2dbcGrantBook implements GrantBook {

    /** A grant's columns, in the order its rows are read and written. */
    static final String COLUMNS = "id, token_id, request_id, status, holds_use, client_ip, user_agent,"
            + " platform, archive_name, created_at, expires_at, settled_at";

    private final DatabaseClient db;

    R2dbcGrantBook(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> insert(Grant grant) {
        GenericExecuteSpec spec = db.sql("INSERT INTO download_grant (" + COLUMNS + ") VALUES (:id, :tokenId,"
                        + " :requestId, :status, :holdsUse, :clientIp, :userAgent, :platform, :archiveName,"
                        + " :createdAt, :expiresAt, NULL)")
                .bind("id", grant.id())
                .bind("tokenId", grant.tokenId())
                .bind("requestId", grant.requestId())
                .bind("status", grant.status().wire())
                .bind("holdsUse", grant.holdsUse())
                .bind("clientIp", orEmpty(grant.clientIp()))
                .bind("userAgent", orEmpty(grant.userAgent()))
                .bind("createdAt", grant.createdAt())
                .bind("expiresAt", grant.expiresAt());
        spec = nullable(spec, "platform", grant.platform());
        spec = nullable(spec, "archiveName", grant.archiveName());
        Flux<Long> items = Flux.range(0, grant.items().size()).concatMap(position -> {
            GrantItem item = grant.items().get(position);
            return nullable(
                            nullable(
                                    db.sql("INSERT INTO grant_item (grant_id, position, file_id, object_key, name,"
                                                    + " size, sha256, content_type, platform, crc32) VALUES (:grantId,"
                                                    + " :position, :fileId, :objectKey, :name, :size, :sha256, :contentType,"
                                                    + " :platform, :crc32)")
                                            .bind("grantId", grant.id())
                                            .bind("position", position)
                                            .bind("fileId", item.fileId())
                                            .bind("objectKey", item.objectKey())
                                            .bind("name", item.name())
                                            .bind("size", item.size())
                                            .bind("sha256", item.sha256())
                                            .bind("contentType", item.contentType()),
                                    "crc32",
                                    item.crc32()),
                            "platform",
                            item.platform())
                    .fetch()
                    .rowsUpdated();
        });
        return spec.fetch().rowsUpdated().thenMany(items).then();
    }

    @Override
    public Mono<Grant> findById(UUID grantId) {
        return db.sql("SELECT " + COLUMNS + " FROM download_grant WHERE id = :id")
                .bind("id", grantId)
                .map(R2dbcGrantBook::grant)
                .one()
                .flatMap(grant -> withItems(List.of(grant)).map(list -> list.get(0)));
    }

    @Override
    public Mono<Grant> lock(UUID grantId) {
        return db.sql("SELECT " + COLUMNS + " FROM download_grant WHERE id = :id FOR UPDATE")
                .bind("id", grantId)
                .map(R2dbcGrantBook::grant)
                .one()
                .flatMap(grant -> withItems(List.of(grant)).map(list -> list.get(0)));
    }

    @Override
    public Flux<Grant> findByToken(UUID tokenId) {
        return db.sql("SELECT " + COLUMNS + " FROM download_grant WHERE token_id = :tokenId ORDER BY created_at, id")
                .bind("tokenId", tokenId)
                .map(R2dbcGrantBook::grant)
                .all()
                .collectList()
                .flatMap(this::withItems)
                .flatMapIterable(list -> list);
    }

    @Override
    public Mono<Grant> findLive(UUID tokenId, String clientIp, String userAgent, String platform, Instant now) {
        GenericExecuteSpec spec = db.sql("SELECT " + COLUMNS + " FROM download_grant WHERE token_id = :tokenId"
                        + " AND status = 'active' AND expires_at > :now AND client_ip = :clientIp"
                        + " AND user_agent = :userAgent AND platform IS NOT DISTINCT FROM :platform"
                        + " ORDER BY created_at DESC LIMIT 1")
                .bind("tokenId", tokenId)
                .bind("now", now)
                .bind("clientIp", orEmpty(clientIp))
                .bind("userAgent", orEmpty(userAgent));
        return nullable(spec, "platform", platform)
                .map(R2dbcGrantBook::grant)
                .one()
                .flatMap(grant -> withItems(List.of(grant)).map(list -> list.get(0)));
    }

    @Override
    public Flux<Grant> findLive(Collection<Client> clients, Instant now) {
        if (clients.isEmpty()) {
            return Flux.empty();
        }
        // Platform '' stands for none: unnest cannot tell a null array element from a missing one in a join.
        return db.sql("SELECT " + prefixed("d") + " FROM download_grant d JOIN (SELECT DISTINCT * FROM"
                        + " unnest(:tokenIds::uuid[], :clientIps::text[], :userAgents::text[], :platforms::text[]))"
                        + " AS c(token_id, client_ip, user_agent, platform) ON d.token_id = c.token_id"
                        + " AND d.client_ip = c.client_ip AND d.user_agent = c.user_agent"
                        + " AND coalesce(d.platform, '') = c.platform"
                        + " WHERE d.status = 'active' AND d.expires_at > :now ORDER BY d.created_at DESC")
                .bind("tokenIds", clients.stream().map(Client::tokenId).toArray(UUID[]::new))
                .bind(
                        "clientIps",
                        clients.stream().map(c -> orEmpty(c.clientIp())).toArray(String[]::new))
                .bind(
                        "userAgents",
                        clients.stream().map(c -> orEmpty(c.userAgent())).toArray(String[]::new))
                .bind(
                        "platforms",
                        clients.stream().map(c -> orEmpty(c.platform())).toArray(String[]::new))
                .bind("now", now)
                .map(R2dbcGrantBook::grant)
                .all()
                .collectList()
                .flatMap(this::withItems)
                .flatMapIterable(list -> list);
    }

    @Override
    public Mono<Boolean> retakeUse(UUID grantId, Instant now) {
        return db.sql("UPDATE download_grant SET holds_use = true WHERE id = :id AND NOT holds_use"
                        + " AND status = 'active' AND expires_at > :now")
                .bind("id", grantId)
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Boolean> dropUse(UUID grantId) {
        return db.sql("UPDATE download_grant SET holds_use = false WHERE id = :id AND holds_use AND status = 'active'")
                .bind("id", grantId)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Boolean> complete(UUID grantId, Instant at) {
        return db.sql("WITH g AS (SELECT id, holds_use FROM download_grant WHERE id = :id"
                        + " AND status IN ('active', 'released') FOR UPDATE)"
                        + " UPDATE download_grant d SET status = 'completed', holds_use = false, settled_at = :at"
                        + " FROM g WHERE d.id = g.id RETURNING g.holds_use AS held")
                .bind("id", grantId)
                .bind("at", at)
                .map(row -> Boolean.TRUE.equals(row.get("held", Boolean.class)))
                .one();
    }

    @Override
    public Flux<UUID> expiredBefore(Instant now, int limit) {
        return db.sql("SELECT id FROM download_grant WHERE status = 'active' AND expires_at <= :now"
                        + " ORDER BY expires_at LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit)
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    @Override
    public Mono<Released> releaseExpired(UUID grantId, Instant now) {
        return db.sql("WITH g AS (SELECT id, holds_use FROM download_grant WHERE id = :id AND status = 'active'"
                        + " AND expires_at <= :now FOR UPDATE)"
                        + " UPDATE download_grant d SET status = 'released', holds_use = false, settled_at = :now"
                        + " FROM g WHERE d.id = g.id RETURNING d.id, d.token_id, g.holds_use AS held")
                .bind("id", grantId)
                .bind("now", now)
                .map(row -> new Released(
                        row.get("id", UUID.class),
                        row.get("token_id", UUID.class),
                        Boolean.TRUE.equals(row.get("held", Boolean.class))))
                .one();
    }

    @Override
    public Flux<Released> revokeLive(UUID tokenId, Instant at) {
        return db.sql("WITH g AS (SELECT id, holds_use FROM download_grant WHERE token_id = :tokenId"
                        + " AND status = 'active' FOR UPDATE)"
                        + " UPDATE download_grant d SET status = 'revoked', holds_use = false, settled_at = :at"
                        + " FROM g WHERE d.id = g.id RETURNING d.id, d.token_id, g.holds_use AS held")
                .bind("tokenId", tokenId)
                .bind("at", at)
                .map(row -> new Released(
                        row.get("id", UUID.class),
                        row.get("token_id", UUID.class),
                        Boolean.TRUE.equals(row.get("held", Boolean.class))))
                .all();
    }

    private Mono<List<Grant>> withItems(List<Grant> grants) {
        if (grants.isEmpty()) {
            return Mono.just(grants);
        }
        return db.sql("SELECT grant_id, file_id, object_key, name, size, sha256, content_type, platform,"
                        + " crc32 FROM grant_item WHERE grant_id = ANY(:ids) ORDER BY position")
                .bind("ids", grants.stream().map(Grant::id).toArray(UUID[]::new))
                .map(row -> Map.entry(
                        row.get("grant_id", UUID.class),
                        new GrantItem(
                                row.get("file_id", UUID.class),
                                row.get("object_key", String.class),
                                row.get("name", String.class),
                                row.get("size", Long.class),
                                row.get("sha256", String.class),
                                row.get("content_type", String.class),
                                row.get("platform", String.class),
                                row.get("crc32", String.class))))
                .all()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())))
                .map(items -> grants.stream()
                        .map(g -> new Grant(
                                g.id(),
                                g.tokenId(),
                                g.requestId(),
                                g.status(),
                                g.holdsUse(),
                                g.clientIp(),
                                g.userAgent(),
                                g.platform(),
                                g.archiveName(),
                                g.createdAt(),
                                g.expiresAt(),
                                g.settledAt(),
                                items.getOrDefault(g.id(), List.of())))
                        .toList());
    }

    private static Grant grant(Readable row) {
        return new Grant(
                row.get("id", UUID.class),
                row.get("token_id", UUID.class),
                row.get("request_id", UUID.class),
                GrantStatus.fromWire(row.get("status", String.class)),
                Boolean.TRUE.equals(row.get("holds_use", Boolean.class)),
                row.get("client_ip", String.class),
                row.get("user_agent", String.class),
                row.get("platform", String.class),
                row.get("archive_name", String.class),
                row.get("created_at", Instant.class),
                row.get("expires_at", Instant.class),
                row.get("settled_at", Instant.class),
                List.of());
    }

    private static String prefixed(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
