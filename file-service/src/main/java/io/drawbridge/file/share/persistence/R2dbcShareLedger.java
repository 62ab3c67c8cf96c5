package io.drawbridge.file.share.persistence;

import io.drawbridge.file.share.domain.Share;
import io.drawbridge.file.share.domain.ShareGrant;
import io.drawbridge.file.share.domain.ShareLedger;
import io.drawbridge.file.share.domain.SharePage;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class R2dbcShareLedger implements ShareLedger {

    private static final String COLUMNS = "id, token_hash, kind, status, size, object_key, sealed_meta, wrapped_key,"
            + " key_salt, password_salt, password_failures, max_reads, reads_used, bytes_sent, created_at, expires_at";

    private final DatabaseClient db;

    R2dbcShareLedger(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> insert(Share share) {
        var spec = db.sql("insert into share (" + COLUMNS + ") values (:id, :tokenHash, :kind, :status, :size,"
                        + " :objectKey, :sealedMeta, :wrappedKey, :keySalt, :passwordSalt, 0, :maxReads, 0, 0,"
                        + " :createdAt, :expiresAt)")
                .bind("id", share.id())
                .bind("tokenHash", share.tokenHash())
                .bind("kind", share.kind())
                .bind("status", share.status())
                .bind("size", share.size())
                .bind("objectKey", share.objectKey())
                .bind("sealedMeta", share.sealedMeta())
                .bind("wrappedKey", share.wrappedKey())
                .bind("keySalt", share.keySalt())
                .bind("maxReads", share.maxReads())
                .bind("createdAt", at(share.createdAt()))
                .bind("expiresAt", at(share.expiresAt()));
        spec = share.passwordSalt() == null
                ? spec.bindNull("passwordSalt", byte[].class)
                : spec.bind("passwordSalt", share.passwordSalt());
        return spec.fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Share> byTokenHash(String tokenHash) {
        return db.sql("select " + COLUMNS + " from share where token_hash = :hash")
                .bind("hash", tokenHash)
                .map(R2dbcShareLedger::share)
                .one();
    }

    @Override
    public Mono<Share> byId(UUID id) {
        return db.sql("select " + COLUMNS + " from share where id = :id")
                .bind("id", id)
                .map(R2dbcShareLedger::share)
                .one();
    }

    @Override
    public Mono<Integer> takePasswordTry(UUID id, int limit) {
        return db.sql("update share set password_failures = password_failures + 1"
                        + " where id = :id and password_failures < :limit returning password_failures")
                .bind("id", id)
                .bind("limit", limit)
                .map(row -> row.get("password_failures", Integer.class))
                .one();
    }

    @Override
    public Mono<Void> returnPasswordTry(UUID id) {
        return db.sql("update share set password_failures = greatest(0, password_failures - 1) where id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .then();
    }

    @Override
    public Mono<Integer> countRead(UUID id, Instant now) {
        return db.sql("update share set reads_used = reads_used + 1 where id = :id and status = 'active'"
                        + " and reads_used < max_reads and expires_at > :now returning reads_used")
                .bind("id", id)
                .bind("now", at(now))
                .map(row -> row.get("reads_used", Integer.class))
                .one();
    }

    @Override
    public Mono<Boolean> end(UUID id, String status, Instant now) {
        return db.sql("update share set status = :status, ended_at = :now, sealed_meta = null, wrapped_key = null,"
                        + " key_salt = null, password_salt = null where id = :id and status = 'active'")
                .bind("id", id)
                .bind("status", status)
                .bind("now", at(now))
                .fetch()
                .rowsUpdated()
                .flatMap(updated -> updated == 0
                        ? Mono.just(false)
                        : db.sql("delete from share_grant where share_id = :id")
                                .bind("id", id)
                                .fetch()
                                .rowsUpdated()
                                .thenReturn(true));
    }

    @Override
    public Mono<Void> objectDeleted(UUID id) {
        return db.sql("update share set object_key = null where id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .then();
    }

    @Override
    public Mono<Boolean> reserveBytes(UUID id, long bytes, long budget) {
        return db.sql("update share set bytes_sent = bytes_sent + :bytes where id = :id and status = 'active'"
                        + " and bytes_sent + :bytes <= :budget")
                .bind("id", id)
                .bind("bytes", bytes)
                .bind("budget", budget)
                .fetch()
                .rowsUpdated()
                .map(updated -> updated > 0);
    }

    @Override
    public Mono<Void> returnBytes(UUID id, long bytes) {
        return db.sql("update share set bytes_sent = greatest(0, bytes_sent - :bytes) where id = :id")
                .bind("id", id)
                .bind("bytes", bytes)
                .fetch()
                .rowsUpdated()
                .then();
    }

    @Override
    public Mono<Void> insertGrant(ShareGrant grant) {
        return db.sql("insert into share_grant (id, share_id, wrapped_key, sealed_meta, expires_at)"
                        + " values (:id, :shareId, :wrappedKey, :sealedMeta, :expiresAt)")
                .bind("id", grant.id())
                .bind("shareId", grant.shareId())
                .bind("wrappedKey", grant.wrappedKey())
                .bind("sealedMeta", grant.sealedMeta())
                .bind("expiresAt", at(grant.expiresAt()))
                .fetch()
                .rowsUpdated()
                .then();
    }

    @Override
    public Mono<ShareGrant> grant(UUID id) {
        return db.sql("select id, share_id, wrapped_key, sealed_meta, settled, expires_at from share_grant"
                        + " where id = :id")
                .bind("id", id)
                .map(row -> new ShareGrant(
                        row.get("id", UUID.class),
                        row.get("share_id", UUID.class),
                        bytes(row, "wrapped_key"),
                        bytes(row, "sealed_meta"),
                        Boolean.TRUE.equals(row.get("settled", Boolean.class)),
                        instant(row, "expires_at")))
                .one();
    }

    @Override
    public Mono<Boolean> delivered(UUID grantId, long start, long end, long size) {
        return db.sql("update share_grant set delivered = delivered + int8multirange(int8range(:start, :end))"
                        + " where id = :id and not settled returning delivered @> int8range(0, :size) as whole")
                .bind("id", grantId)
                .bind("start", start)
                .bind("end", end)
                .bind("size", size)
                .map(row -> Boolean.TRUE.equals(row.get("whole", Boolean.class)))
                .one()
                .filter(whole -> whole)
                .flatMap(whole -> db.sql("update share_grant set settled = true where id = :id and not settled")
                        .bind("id", grantId)
                        .fetch()
                        .rowsUpdated()
                        .map(updated -> updated > 0))
                .defaultIfEmpty(false);
    }

    @Override
    public Mono<SharePage<Share>> list(String status, int page, int size) {
        String where = status == null ? "" : " where status = :status";
        var rows = db.sql("select " + COLUMNS + " from share" + where
                + " order by created_at desc, id limit :limit offset :offset");
        var count = db.sql("select count(*) from share" + where);
        if (status != null) {
            rows = rows.bind("status", status);
            count = count.bind("status", status);
        }
        return rows.bind("limit", size)
                .bind("offset", (long) page * size)
                .map(R2dbcShareLedger::share)
                .all()
                .collectList()
                .zipWith(count.map(row -> row.get(0, Long.class)).one())
                .map(both -> new SharePage<>(both.getT1(), page, size, both.getT2()));
    }

    @Override
    public Flux<Share> expired(Instant now, int limit) {
        return db.sql("select " + COLUMNS + " from share where status = 'active' and expires_at <= :now"
                        + " order by expires_at limit :limit")
                .bind("now", at(now))
                .bind("limit", limit)
                .map(R2dbcShareLedger::share)
                .all();
    }

    @Override
    public Flux<Share> leftoverObjects(int limit) {
        return db.sql("select " + COLUMNS + " from share where status <> 'active' and object_key is not null"
                        + " and ended_at < now() - interval '1 minute' order by ended_at limit :limit")
                .bind("limit", limit)
                .map(R2dbcShareLedger::share)
                .all();
    }

    private static Share share(Readable row) {
        return new Share(
                row.get("id", UUID.class),
                row.get("token_hash", String.class),
                row.get("kind", String.class),
                row.get("status", String.class),
                row.get("size", Long.class),
                row.get("object_key", String.class),
                bytes(row, "sealed_meta"),
                bytes(row, "wrapped_key"),
                bytes(row, "key_salt"),
                bytes(row, "password_salt"),
                row.get("password_failures", Integer.class),
                row.get("max_reads", Integer.class),
                row.get("reads_used", Integer.class),
                row.get("bytes_sent", Long.class),
                instant(row, "created_at"),
                instant(row, "expires_at"));
    }

    private static byte[] bytes(Readable row, String column) {
        java.nio.ByteBuffer buffer = row.get(column, java.nio.ByteBuffer.class);
        if (buffer == null) {
            return null;
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
