package io.drawbridge.audit.downloads.persistence;

import io.drawbridge.audit.downloads.domain.DownloadLogEntry;
import io.drawbridge.audit.downloads.domain.DownloadLogFilter;
import io.drawbridge.audit.downloads.domain.DownloadOutcome;
import io.drawbridge.audit.downloads.domain.DownloadStats;
import io.drawbridge.audit.sql.SqlValue;
import io.drawbridge.audit.trail.domain.EventReferences;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of the download log: search, paging, streaming export and the stats. */
@Repository
public class DownloadLogQueries {

    private static final String COLUMNS =
            """
            id, request_id, grant_id, token_id, order_id, customer_email, platform, file_name, file_size, client_ip,
            user_agent, started_at, completed_at, bytes_delivered, outcome, reason, duration_ms, responses
            """;

    /** Rows fetched per round trip when streaming an export, so memory stays flat whatever the size. */
    private static final int EXPORT_FETCH_SIZE = 500;

    private final DatabaseClient database;

    DownloadLogQueries(DatabaseClient database) {
        this.database = database;
    }

    /** One page, newest first. */
    public Flux<DownloadLogEntry> find(DownloadLogFilter filter, long offset, int limit) {
        Where where = Where.of(filter);
        GenericExecuteSpec spec = database.sql("select " + COLUMNS + " from download_log" + where.sql()
                + " order by started_at desc, id limit :limit offset :offset");
        return where.bind(spec)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(DownloadLogQueries::entry)
                .all();
    }

    public Mono<Long> count(DownloadLogFilter filter) {
        Where where = Where.of(filter);
        return where.bind(database.sql("select count(*) as n from download_log" + where.sql()))
                .map(row -> row.get("n", Long.class))
                .one();
    }

    /** Every matching row, oldest first, read in bounded batches (for the CSV export). */
    public Flux<DownloadLogEntry> stream(DownloadLogFilter filter) {
        Where where = Where.of(filter);
        GenericExecuteSpec spec =
                database.sql("select " + COLUMNS + " from download_log" + where.sql() + " order by started_at, id");
        return where.bind(spec)
                .filter(statement -> statement.fetchSize(EXPORT_FETCH_SIZE))
                .map(DownloadLogQueries::entry)
                .all();
    }

    /** The numbers of {@link DownloadStats} for downloads started in [from, to) (either may be null). */
    public Mono<DownloadStats> stats(Instant from, Instant to, Instant startOfToday) {
        DownloadLogFilter period = new DownloadLogFilter(null, null, null, null, from, to);
        Where where = Where.of(period);
        Mono<long[]> totals = where.bind(database.sql(
                        """
                        select count(*) filter (where outcome = 'completed') as total_downloads,
                            count(distinct customer_email) filter (where outcome = 'completed') as unique_customers,
                            coalesce(sum(bytes_delivered), 0) as bytes_served,
                            count(*) filter (where outcome = 'failed') as failed_downloads
                        from download_log"""
                                + where.sql()))
                .map(row -> new long[] {
                    row.get("total_downloads", Long.class),
                    row.get("unique_customers", Long.class),
                    ((Number) row.get("bytes_served")).longValue(),
                    row.get("failed_downloads", Long.class)
                })
                .one();
        Mono<Long> today = database.sql(
                        "select count(*) as n from download_log where outcome = 'completed' and started_at >= :today")
                .bind("today", startOfToday)
                .map(row -> row.get("n", Long.class))
                .one();
        Mono<Map<String, Long>> platforms = breakdown(
                "select coalesce(platform, 'unknown') as k, count(*) as n from download_log"
                        + where.and("outcome = 'completed'") + " group by 1",
                where);
        Mono<Map<String, Long>> denials = breakdown(
                "select coalesce(reason, 'unknown') as k, count(*) as n from download_log"
                        + where.and("outcome = 'denied'") + " group by 1",
                where);
        // One query after the other: they share a connection when called inside a transaction.
        return totals.flatMap(t -> today.flatMap(d -> platforms.flatMap(
                p -> denials.map(r -> new DownloadStats(t[0], d, t[1], p, t[2], t[3], r, from, to)))));
    }

    private Mono<Map<String, Long>> breakdown(String sql, Where where) {
        return where.bind(database.sql(sql))
                .map(row -> Map.entry(row.get("k", String.class), row.get("n", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
                .map(map -> (Map<String, Long>) new LinkedHashMap<>(map));
    }

    static DownloadLogEntry entry(Readable row) {
        Long fileSize = row.get("file_size", Long.class);
        Long duration = row.get("duration_ms", Long.class);
        return new DownloadLogEntry(
                row.get("id", UUID.class),
                row.get("request_id", UUID.class),
                row.get("grant_id", UUID.class),
                row.get("token_id", UUID.class),
                row.get("order_id", String.class),
                row.get("customer_email", String.class),
                row.get("platform", String.class),
                row.get("file_name", String.class),
                fileSize,
                row.get("client_ip", String.class),
                row.get("user_agent", String.class),
                row.get("started_at", Instant.class),
                row.get("completed_at", Instant.class),
                row.get("bytes_delivered", Long.class),
                row.get("outcome", String.class),
                row.get("reason", String.class),
                duration,
                row.get("responses", Integer.class));
    }

    /** The WHERE clause of a filter, with named parameters. */
    private record Where(List<String> conditions, Map<String, Object> values) {

        static Where of(DownloadLogFilter filter) {
            List<String> conditions = new ArrayList<>();
            Map<String, Object> values = new LinkedHashMap<>();
            if (filter.email() != null) {
                conditions.add("customer_email = :email");
                values.put("email", EventReferences.normalizeEmail(filter.email()));
            }
            if (filter.orderId() != null) {
                conditions.add("order_id = :orderId");
                values.put("orderId", filter.orderId());
            }
            if (filter.tokenId() != null) {
                conditions.add("token_id = :tokenId");
                values.put("tokenId", filter.tokenId());
            }
            DownloadOutcome outcome = filter.outcome();
            if (outcome != null) {
                conditions.add("outcome = :outcome");
                values.put("outcome", outcome.value());
            }
            if (filter.from() != null) {
                conditions.add("started_at >= :from");
                values.put("from", filter.from());
            }
            if (filter.to() != null) {
                conditions.add("started_at < :to");
                values.put("to", filter.to());
            }
            return new Where(conditions, values);
        }

        String sql() {
            return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        }

        String and(String condition) {
            List<String> all = new ArrayList<>(conditions);
            all.add(condition);
            return " where " + String.join(" and ", all);
        }

        GenericExecuteSpec bind(GenericExecuteSpec spec) {
            GenericExecuteSpec bound = spec;
            for (Map.Entry<String, Object> value : values.entrySet()) {
                bound = bound.bind(
                        value.getKey(),
                        SqlValue.of(value.getValue(), value.getValue().getClass()));
            }
            return bound;
        }
    }
}
