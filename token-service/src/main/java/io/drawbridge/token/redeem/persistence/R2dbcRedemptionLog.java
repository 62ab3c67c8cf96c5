package io.drawbridge.token.redeem.persistence;

import io.drawbridge.token.issue.domain.TokenHistory;
import io.drawbridge.token.redeem.domain.Grant;
import io.drawbridge.token.redeem.domain.GrantItem;
import io.drawbridge.token.redeem.domain.RedemptionLog;
import io.drawbridge.token.redeem.domain.StoredAnswer;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
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

    /**
     * Data-modifying CTEs: PostgreSQL runs them as one statement, and checks the items' and answers' references to
     * the grants at its end, when the grants are in. Empty lists insert nothing (unnest of an empty array).
     */
    @Override
    public Mono<Integer> recordPoll(
            List<Grant> newGrants, List<TokenHistory.Entry> history, List<StoredAnswer> answers) {
        List<UUID> itemGrantIds = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<GrantItem> items = new ArrayList<>();
        for (Grant grant : newGrants) {
            for (int position = 0; position < grant.items().size(); position++) {
                itemGrantIds.add(grant.id());
                positions.add(position);
                items.add(grant.items().get(position));
            }
        }
        return db.sql("WITH grants AS (INSERT INTO download_grant (" + R2dbcGrantBook.COLUMNS + ")"
                        + " SELECT g.*, NULL::timestamptz FROM unnest(:ids::uuid[], :grantTokenIds::uuid[],"
                        + " :grantRequestIds::uuid[], :statuses::text[], :holdsUse::boolean[], :clientIps::text[],"
                        + " :userAgents::text[], :grantPlatforms::text[], :archiveNames::text[],"
                        + " :createdAt::timestamptz[], :expiresAt::timestamptz[]) AS g),"
                        + " items AS (INSERT INTO grant_item (grant_id, position, file_id, object_key, name, size,"
                        + " sha256, content_type, platform, crc32) SELECT * FROM unnest(:itemGrantIds::uuid[],"
                        + " :positions::int[], :fileIds::uuid[], :objectKeys::text[], :names::text[],"
                        + " :sizes::bigint[], :sha256s::text[], :contentTypes::text[], :itemPlatforms::text[],"
                        + " :crc32s::text[])),"
                        // WITH ORDINALITY keeps the given order in the serial ids (the history is read in id order).
                        + " history AS (INSERT INTO token_history (token_id, kind, grant_id, detail, occurred_at)"
                        + " SELECT e.token_id, e.kind, e.grant_id, e.detail, e.occurred_at FROM"
                        + " unnest(:historyTokenIds::uuid[], :kinds::text[], :historyGrantIds::uuid[],"
                        + " :historyDetails::text[], :occurredAt::timestamptz[])"
                        + " WITH ORDINALITY AS e(token_id, kind, grant_id, detail, occurred_at, n) ORDER BY e.n)"
                        + " INSERT INTO redemption (request_id, token_id, grant_id, outcome, reused,"
                        + " downloads_remaining, reason, detail, answered_at) SELECT * FROM"
                        + " unnest(:requestIds::uuid[], :tokenIds::uuid[], :grantIds::uuid[], :outcomes::text[],"
                        + " :reused::boolean[], :remaining::int[], :reasons::text[], :details::text[],"
                        + " :answeredAt::timestamptz[]) ON CONFLICT (request_id) DO NOTHING")
                .bind("ids", newGrants.stream().map(Grant::id).toArray(UUID[]::new))
                .bind("grantTokenIds", newGrants.stream().map(Grant::tokenId).toArray(UUID[]::new))
                .bind(
                        "grantRequestIds",
                        newGrants.stream().map(Grant::requestId).toArray(UUID[]::new))
                .bind("statuses", newGrants.stream().map(g -> g.status().wire()).toArray(String[]::new))
                .bind("holdsUse", newGrants.stream().map(Grant::holdsUse).toArray(Boolean[]::new))
                .bind(
                        "clientIps",
                        newGrants.stream().map(g -> orEmpty(g.clientIp())).toArray(String[]::new))
                .bind(
                        "userAgents",
                        newGrants.stream().map(g -> orEmpty(g.userAgent())).toArray(String[]::new))
                .bind("grantPlatforms", newGrants.stream().map(Grant::platform).toArray(String[]::new))
                .bind("archiveNames", newGrants.stream().map(Grant::archiveName).toArray(String[]::new))
                .bind("createdAt", newGrants.stream().map(Grant::createdAt).toArray(Instant[]::new))
                .bind("expiresAt", newGrants.stream().map(Grant::expiresAt).toArray(Instant[]::new))
                .bind("itemGrantIds", itemGrantIds.toArray(UUID[]::new))
                .bind("positions", positions.toArray(Integer[]::new))
                .bind("fileIds", items.stream().map(GrantItem::fileId).toArray(UUID[]::new))
                .bind("objectKeys", items.stream().map(GrantItem::objectKey).toArray(String[]::new))
                .bind("names", items.stream().map(GrantItem::name).toArray(String[]::new))
                .bind("sizes", items.stream().map(GrantItem::size).toArray(Long[]::new))
                .bind("sha256s", items.stream().map(GrantItem::sha256).toArray(String[]::new))
                .bind("contentTypes", items.stream().map(GrantItem::contentType).toArray(String[]::new))
                .bind("itemPlatforms", items.stream().map(GrantItem::platform).toArray(String[]::new))
                .bind("crc32s", items.stream().map(GrantItem::crc32).toArray(String[]::new))
                .bind(
                        "historyTokenIds",
                        history.stream().map(TokenHistory.Entry::tokenId).toArray(UUID[]::new))
                .bind("kinds", history.stream().map(TokenHistory.Entry::kind).toArray(String[]::new))
                .bind(
                        "historyGrantIds",
                        history.stream().map(TokenHistory.Entry::grantId).toArray(UUID[]::new))
                .bind(
                        "historyDetails",
                        history.stream().map(TokenHistory.Entry::detail).toArray(String[]::new))
                .bind(
                        "occurredAt",
                        history.stream().map(TokenHistory.Entry::occurredAt).toArray(Instant[]::new))
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

    private static String orEmpty(String value) {
        return value == null ? "" : value;
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
