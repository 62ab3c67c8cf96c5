package io.drawbridge.token.delivery.persistence;

import io.drawbridge.token.delivery.domain.DeliveredRange;
import io.drawbridge.token.delivery.domain.RangeLog;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Delivered byte ranges as rows of {@code delivered_range}. */
@Repository
class R2dbcRangeLog implements RangeLog {

    private final DatabaseClient db;

    R2dbcRangeLog(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> record(UUID grantId, DeliveredRange range, Instant at) {
        GenericExecuteSpec spec = db.sql("INSERT INTO delivered_range (grant_id, file_id, range_start, range_end,"
                        + " total_size, recorded_at) VALUES (:grantId, :fileId, :start, :end, :total, :at)")
                .bind("grantId", grantId)
                .bind("start", range.start())
                .bind("end", range.end())
                .bind("total", range.totalSize())
                .bind("at", at);
        spec = range.fileId() == null ? spec.bindNull("fileId", UUID.class) : spec.bind("fileId", range.fileId());
        return spec.then();
    }

    @Override
    public Flux<DeliveredRange> of(UUID grantId) {
        return db.sql("SELECT file_id, range_start, range_end, total_size FROM delivered_range"
                        + " WHERE grant_id = :grantId ORDER BY id")
                .bind("grantId", grantId)
                .map(row -> new DeliveredRange(
                        row.get("file_id", UUID.class),
                        row.get("range_start", Long.class),
                        row.get("range_end", Long.class),
                        row.get("total_size", Long.class)))
                .all();
    }

    @Override
    public Mono<Long> bytesOfGrant(UUID grantId) {
        return db.sql("SELECT coalesce(sum(range_end - range_start), 0)::bigint AS bytes FROM delivered_range"
                        + " WHERE grant_id = :grantId")
                .bind("grantId", grantId)
                .map(row -> row.get("bytes", Long.class))
                .one();
    }
}
