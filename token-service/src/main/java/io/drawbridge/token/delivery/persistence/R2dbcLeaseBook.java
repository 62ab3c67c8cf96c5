package io.drawbridge.token.delivery.persistence;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.token.delivery.domain.ByteLease;
import io.drawbridge.token.delivery.domain.LeaseBook;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Byte leases in PostgreSQL ({@code byte_lease}). */
@Repository
class R2dbcLeaseBook implements LeaseBook {

    private static final String COLUMNS = "id, grant_id, target, archive, target_size, range_start, leased_end,"
            + " sent_end, leased_at, expires_at, ended_at";

    private final DatabaseClient db;

    R2dbcLeaseBook(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> insert(ByteLease lease) {
        GenericExecuteSpec spec = db.sql("INSERT INTO byte_lease (id, grant_id, target, archive, target_size,"
                        + " range_start, leased_end, leased_at, expires_at) VALUES (:id, :grantId, :target, :archive,"
                        + " :targetSize, :start, :leasedEnd, :leasedAt, :expiresAt)")
                .bind("id", lease.id())
                .bind("grantId", lease.grantId())
                .bind("targetSize", lease.targetSize())
                .bind("start", lease.start())
                .bind("leasedEnd", lease.leasedEnd())
                .bind("leasedAt", lease.leasedAt())
                .bind("expiresAt", lease.expiresAt());
        spec = lease.target() == null ? spec.bindNull("target", UUID.class) : spec.bind("target", lease.target());
        spec = lease.archive() == null
                ? spec.bindNull("archive", String.class)
                : spec.bind("archive", lease.archive().wire());
        return spec.then();
    }

    @Override
    public Mono<ByteLease> find(UUID leaseId) {
        return db.sql("SELECT " + COLUMNS + " FROM byte_lease WHERE id = :id")
                .bind("id", leaseId)
                .map(R2dbcLeaseBook::lease)
                .one();
    }

    @Override
    public Flux<ByteLease> ofGrant(UUID grantId) {
        return db.sql("SELECT " + COLUMNS + " FROM byte_lease WHERE grant_id = :grantId ORDER BY leased_at, id")
                .bind("grantId", grantId)
                .map(R2dbcLeaseBook::lease)
                .all();
    }

    @Override
    public Mono<Void> extend(UUID leaseId, long leasedEnd, Instant expiresAt) {
        return db.sql("UPDATE byte_lease SET leased_end = :leasedEnd, expires_at = :expiresAt WHERE id = :id"
                        + " AND ended_at IS NULL")
                .bind("id", leaseId)
                .bind("leasedEnd", leasedEnd)
                .bind("expiresAt", expiresAt)
                .then();
    }

    @Override
    public Mono<Boolean> end(UUID leaseId, long sentEnd, Instant at) {
        return db.sql("UPDATE byte_lease SET sent_end = :sentEnd, ended_at = :at WHERE id = :id AND ended_at IS NULL")
                .bind("id", leaseId)
                .bind("sentEnd", sentEnd)
                .bind("at", at)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0);
    }

    private static ByteLease lease(Readable row) {
        String archive = row.get("archive", String.class);
        return new ByteLease(
                row.get("id", UUID.class),
                row.get("grant_id", UUID.class),
                row.get("target", UUID.class),
                archive == null ? null : ArchiveKind.fromWire(archive),
                row.get("target_size", Long.class),
                row.get("range_start", Long.class),
                row.get("leased_end", Long.class),
                row.get("sent_end", Long.class),
                row.get("leased_at", Instant.class),
                row.get("expires_at", Instant.class),
                row.get("ended_at", Instant.class));
    }
}
