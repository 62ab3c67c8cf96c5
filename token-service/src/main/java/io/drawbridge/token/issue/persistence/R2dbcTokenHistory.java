package io.drawbridge.token.issue.persistence;

import io.drawbridge.token.issue.domain.HistoryEntry;
import io.drawbridge.token.issue.domain.TokenHistory;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A token's history as rows of {@code token_history}. */
@Repository
class R2dbcTokenHistory implements TokenHistory {

    private final DatabaseClient db;

    R2dbcTokenHistory(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> record(UUID tokenId, String kind, UUID grantId, String detail, Instant occurredAt) {
        GenericExecuteSpec spec = db.sql("INSERT INTO token_history (token_id, kind, grant_id, detail, occurred_at)"
                        + " VALUES (:tokenId, :kind, :grantId, :detail, :at)")
                .bind("tokenId", tokenId)
                .bind("kind", kind)
                .bind("at", occurredAt);
        spec = grantId == null ? spec.bindNull("grantId", UUID.class) : spec.bind("grantId", grantId);
        spec = detail == null ? spec.bindNull("detail", String.class) : spec.bind("detail", detail);
        return spec.then();
    }

    @Override
    public Flux<HistoryEntry> of(UUID tokenId) {
        return db.sql("SELECT kind, grant_id, detail, occurred_at FROM token_history WHERE token_id = :tokenId"
                        + " ORDER BY id")
                .bind("tokenId", tokenId)
                .map(row -> new HistoryEntry(
                        row.get("kind", String.class),
                        row.get("grant_id", UUID.class),
                        row.get("detail", String.class),
                        row.get("occurred_at", Instant.class)))
                .all();
    }
}
