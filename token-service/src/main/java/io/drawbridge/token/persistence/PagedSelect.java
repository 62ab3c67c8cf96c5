package io.drawbridge.token.persistence;

import io.r2dbc.spi.Readable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The shape every admin list shares: one page of rows under a filter, plus the total count under the same filter,
 * so that the two can never disagree about the condition or its parameters.
 *
 * @param select the select list and source, e.g. {@code "SELECT a, b FROM token"}
 * @param from the source alone, for the count, e.g. {@code "token"}
 * @param condition {@code ""} or {@code " WHERE ..."}
 * @param orderBy the page order, e.g. {@code "issued_at DESC, id"}
 */
public record PagedSelect(String select, String from, String condition, Map<String, Object> params, String orderBy) {

    /** Reads one page, completes its rows with {@code enrich}, and assembles it with the total. */
    public <T, P> Mono<P> fetch(
            DatabaseClient db,
            int page,
            int size,
            Function<Readable, T> row,
            Function<List<T>, Mono<List<T>>> enrich,
            BiFunction<List<T>, Long, P> assemble) {
        Mono<Long> total = db.sql("SELECT count(*) AS total FROM " + from + condition)
                .bindValues(params)
                .map(result -> result.get("total", Long.class))
                .one();
        Map<String, Object> pageParams = new HashMap<>(params);
        pageParams.put("limit", size);
        pageParams.put("offset", (long) page * size);
        Mono<List<T>> items = db.sql(select + condition + " ORDER BY " + orderBy + " LIMIT :limit OFFSET :offset")
                .bindValues(pageParams)
                .map(row)
                .all()
                .collectList()
                .flatMap(enrich);
        return Mono.zip(items, total, assemble);
    }
}
