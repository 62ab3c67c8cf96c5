package io.drawbridge.token.redeem.persistence;

import io.drawbridge.token.redeem.domain.RedemptionLog;
import io.drawbridge.token.redeem.domain.StoredAnswer;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Answers to download requests, keyed by request id (the primary key makes a second answer impossible). */
@Repository
class R2dbcRedemptionLog implements RedemptionLog {

    private final DatabaseClient db;

    R2dbcRedemptionLog(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Boolean> save(StoredAnswer answer) {
        GenericExecuteSpec spec = db.sql("INSERT INTO redemption (request_id, token_id, grant_id, outcome, reused,"
                        + " downloads_remaining, reason, detail, answered_at) VALUES (:requestId, :tokenId, :grantId,"
                        + " :outcome, :reused, :remaining, :reason, :detail, :answeredAt)"
                        + " ON CONFLICT (request_id) DO NOTHING")
                .bind("requestId", answer.requestId())
                .bind("outcome", answer.granted() ? "granted" : "denied")
                .bind("reused", answer.reused())
                .bind("answeredAt", answer.answeredAt());
        spec = answer.tokenId() == null ? spec.bindNull("tokenId", UUID.class) : spec.bind("tokenId", answer.tokenId());
        spec = answer.grantId() == null ? spec.bindNull("grantId", UUID.class) : spec.bind("grantId", answer.grantId());
        spec = answer.downloadsRemaining() == null
                ? spec.bindNull("remaining", Integer.class)
                : spec.bind("remaining", answer.downloadsRemaining());
        spec = answer.reason() == null ? spec.bindNull("reason", String.class) : spec.bind("reason", answer.reason());
        spec = answer.detail() == null ? spec.bindNull("detail", String.class) : spec.bind("detail", answer.detail());
        return spec.fetch().rowsUpdated().map(rows -> rows > 0);
    }

    @Override
    public Mono<StoredAnswer> find(UUID requestId) {
        return db.sql("SELECT request_id, token_id, grant_id, outcome, reused, downloads_remaining, reason, detail,"
                        + " answered_at FROM redemption WHERE request_id = :requestId")
                .bind("requestId", requestId)
                .map(row -> new StoredAnswer(
                        row.get("request_id", UUID.class),
                        row.get("token_id", UUID.class),
                        row.get("grant_id", UUID.class),
                        "granted".equals(row.get("outcome", String.class)),
                        Boolean.TRUE.equals(row.get("reused", Boolean.class)),
                        row.get("downloads_remaining", Integer.class),
                        row.get("reason", String.class),
                        row.get("detail", String.class),
                        row.get("answered_at", Instant.class)))
                .one();
    }

    @Override
    public Mono<Long> forgetBefore(Instant cutoff) {
        return db.sql("DELETE FROM redemption WHERE answered_at < :cutoff")
                .bind("cutoff", cutoff)
                .fetch()
                .rowsUpdated();
    }
}
