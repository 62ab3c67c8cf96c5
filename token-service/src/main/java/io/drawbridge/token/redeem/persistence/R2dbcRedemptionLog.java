package io.drawbridge.token.redeem.persistence;

import io.drawbridge.token.redeem.domain.RedemptionLog;
import io.drawbridge.token.redeem.domain.StoredAnswer;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Answers to download requests, keyed by request id (the primary key makes a second answer impossible). */
@Repository
class R2dbcRedemptionLog implements RedemptionLog {

    private static final String COLUMNS =
            "request_id, token_id, grant_id, outcome, reused, downloads_remaining, reason, detail, answered_at";

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
    public Mono<Integer> saveAll(List<StoredAnswer> answers) {
        if (answers.isEmpty()) {
            return Mono.just(0);
        }
        return db.sql("INSERT INTO redemption (request_id, token_id, grant_id, outcome, reused, downloads_remaining,"
                        + " reason, detail, answered_at) SELECT * FROM unnest(:requestIds::uuid[], :tokenIds::uuid[],"
                        + " :grantIds::uuid[], :outcomes::text[], :reused::boolean[], :remaining::int[],"
                        + " :reasons::text[], :details::text[], :answeredAt::timestamptz[])"
                        + " ON CONFLICT (request_id) DO NOTHING")
                .bind(
                        "requestIds",
                        answers.stream().map(StoredAnswer::requestId).toArray(UUID[]::new))
                .bind("tokenIds", answers.stream().map(StoredAnswer::tokenId).toArray(UUID[]::new))
                .bind("grantIds", answers.stream().map(StoredAnswer::grantId).toArray(UUID[]::new))
                .bind(
                        "outcomes",
                        answers.stream()
                                .map(a -> a.granted() ? "granted" : "denied")
                                .toArray(String[]::new))
                .bind("reused", answers.stream().map(StoredAnswer::reused).toArray(Boolean[]::new))
                .bind(
                        "remaining",
                        answers.stream().map(StoredAnswer::downloadsRemaining).toArray(Integer[]::new))
                .bind("reasons", answers.stream().map(StoredAnswer::reason).toArray(String[]::new))
                .bind("details", answers.stream().map(StoredAnswer::detail).toArray(String[]::new))
                .bind(
                        "answeredAt",
                        answers.stream().map(StoredAnswer::answeredAt).toArray(Instant[]::new))
                .fetch()
                .rowsUpdated()
                .map(Long::intValue);
    }

    @Override
    public Mono<StoredAnswer> find(UUID requestId) {
        return db.sql("SELECT " + COLUMNS + " FROM redemption WHERE request_id = :requestId")
                .bind("requestId", requestId)
                .map(R2dbcRedemptionLog::answer)
                .one();
    }

    @Override
    public Flux<StoredAnswer> findAll(Collection<UUID> requestIds) {
        if (requestIds.isEmpty()) {
            return Flux.empty();
        }
        return db.sql("SELECT " + COLUMNS + " FROM redemption WHERE request_id = ANY(:requestIds)")
                .bind("requestIds", requestIds.toArray(UUID[]::new))
                .map(R2dbcRedemptionLog::answer)
                .all();
    }

    private static StoredAnswer answer(Readable row) {
        return new StoredAnswer(
                row.get("request_id", UUID.class),
                row.get("token_id", UUID.class),
                row.get("grant_id", UUID.class),
                "granted".equals(row.get("outcome", String.class)),
                Boolean.TRUE.equals(row.get("reused", Boolean.class)),
                row.get("downloads_remaining", Integer.class),
                row.get("reason", String.class),
                row.get("detail", String.class),
                row.get("answered_at", Instant.class));
    }

    @Override
    public Mono<Long> forgetBefore(Instant cutoff) {
        return db.sql("DELETE FROM redemption WHERE answered_at < :cutoff")
                .bind("cutoff", cutoff)
                .fetch()
                .rowsUpdated();
    }
}
